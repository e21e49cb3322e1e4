#!/usr/bin/env bash
# Starts any local server the integration tests need that is not running, with the command the
# machine's documentation gives for it. A server that still does not answer afterwards makes
# check-services.mjs fail CI (tests must fail, never skip, without their servers).
set -uo pipefail

up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() { # port seconds
  for _ in $(seq 1 "$2"); do up "$1" && return 0; sleep 1; done
  return 1
}

start() { # name port command...
  local name=$1 port=$2; shift 2
  up "$port" && return 0
  echo "== starting $name (port $port not answering)"
  "$@" || echo "   could not start $name"
  wait_for "$port" 60 || echo "   $name still not answering on $port"
}

start Redis 6379 redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
start PostgreSQL 5432 bash -c 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start'
start MariaDB 3306 start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
start RabbitMQ 5672 rabbitmq-server -detached
exit 0
