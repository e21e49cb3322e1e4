-- Tables for the sqlite/ variant, created by `npm run quickstart` through
--   node examples/seed/sql/apply.mjs quickstart-output/seed/seed.db examples/seed/sql/sqlite.sql
-- Same columns and key as sql/mariadb.sql; SQLite has no CREATE TABLE … LIKE, so each day's
-- table is written out. The statement's ON CONFLICT DO NOTHING skips a row whose fingerprint
-- (log_uuid_fp, the primary key) is already there.
CREATE TABLE IF NOT EXISTS for_bar_20190420 (log_uuid_fp TEXT PRIMARY KEY, log_uuid TEXT NOT NULL, log_time INTEGER, ymd INTEGER NOT NULL, network TEXT, active_time INTEGER, ip TEXT, longitude REAL, latitude REAL, region_name TEXT, city_name TEXT, source_host TEXT);
CREATE TABLE IF NOT EXISTS for_bar_20190421 (log_uuid_fp TEXT PRIMARY KEY, log_uuid TEXT NOT NULL, log_time INTEGER, ymd INTEGER NOT NULL, network TEXT, active_time INTEGER, ip TEXT, longitude REAL, latitude REAL, region_name TEXT, city_name TEXT, source_host TEXT);
CREATE TABLE IF NOT EXISTS for_bar_20190422 (log_uuid_fp TEXT PRIMARY KEY, log_uuid TEXT NOT NULL, log_time INTEGER, ymd INTEGER NOT NULL, network TEXT, active_time INTEGER, ip TEXT, longitude REAL, latitude REAL, region_name TEXT, city_name TEXT, source_host TEXT);
CREATE TABLE IF NOT EXISTS for_bar_20191231 (log_uuid_fp TEXT PRIMARY KEY, log_uuid TEXT NOT NULL, log_time INTEGER, ymd INTEGER NOT NULL, network TEXT, active_time INTEGER, ip TEXT, longitude REAL, latitude REAL, region_name TEXT, city_name TEXT, source_host TEXT);
CREATE TABLE IF NOT EXISTS for_bar_20200101 (log_uuid_fp TEXT PRIMARY KEY, log_uuid TEXT NOT NULL, log_time INTEGER, ymd INTEGER NOT NULL, network TEXT, active_time INTEGER, ip TEXT, longitude REAL, latitude REAL, region_name TEXT, city_name TEXT, source_host TEXT);
