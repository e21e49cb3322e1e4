-- Tables for the MariaDB/MySQL variants (redis-list/, redis-stream/, rabbitmq/):
--   mysql -h 127.0.0.1 -u root test < examples/seed/sql/mariadb.sql
-- The pipeline writes each event into for_bar_<ymd>, a table per day, as the seed does; a day's
-- table must exist before its first row arrives (a row for a missing table is refused, logged and
-- sent to --failed_events.path). In production a daily job creates the next days' tables:
--   CREATE TABLE IF NOT EXISTS for_bar_20190423 LIKE for_bar_template;
--
-- The columns are the seed's statement's. The primary key on log_uuid_fp (the fingerprint of
-- ymd, network, active_time and ip) is what makes writes idempotent: the statement's
-- ON DUPLICATE KEY UPDATE skips a row whose fingerprint is already there.
CREATE TABLE IF NOT EXISTS for_bar_template (
  log_uuid_fp CHAR(64) NOT NULL PRIMARY KEY,
  log_uuid CHAR(36) NOT NULL,
  log_time BIGINT,
  ymd INT NOT NULL,
  network VARCHAR(32),
  active_time INT,
  ip VARCHAR(45),
  longitude DOUBLE,
  latitude DOUBLE,
  region_name VARCHAR(128),
  city_name VARCHAR(128),
  source_host VARCHAR(255)
) DEFAULT CHARSET = utf8mb4;

-- The days of logs/game-events.log.
CREATE TABLE IF NOT EXISTS for_bar_20190420 LIKE for_bar_template;
CREATE TABLE IF NOT EXISTS for_bar_20190421 LIKE for_bar_template;
CREATE TABLE IF NOT EXISTS for_bar_20190422 LIKE for_bar_template;
CREATE TABLE IF NOT EXISTS for_bar_20191231 LIKE for_bar_template;
CREATE TABLE IF NOT EXISTS for_bar_20200101 LIKE for_bar_template;
