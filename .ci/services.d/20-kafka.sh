#!/usr/bin/env bash
# Kafka test broker (test/servers/kafka): resolve Apache Kafka's jars from Maven Central into
# ~/.cache/logpipe-test-servers (skipped when already there), then start a single-node KRaft broker
# on free ports and stop it, to prove the tests can start their own. Fails (CI fails) when either
# step does; the tests start a private broker per file and fail, never skip, without the jars.
set -euo pipefail
cd "$(dirname "$0")/../.."
KAFKA=test/servers/kafka/kafka.sh

command -v java >/dev/null || { echo "20-kafka: java is missing (the broker runs on the JDK)" >&2; exit 1; }
command -v mvn >/dev/null || { echo "20-kafka: mvn is missing (it resolves the broker from Maven Central)" >&2; exit 1; }
"$KAFKA" resolve >/dev/null

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
dir="$(mktemp -d)"
port="$(free_port)"
ctl="$(free_port)"
started=$(date +%s%N)
"$KAFKA" start "$dir" "$port" "$ctl" >"$dir/broker.log" 2>&1 &
pid=$!
cleanup() { kill -9 "$pid" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
for _ in $(seq 1 600); do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "20-kafka: the broker exited during startup:" >&2
    cat "$dir/broker.log" >&2
    exit 1
  fi
  if (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "20-kafka: Kafka broker up on port $port in $(( ($(date +%s%N) - started) / 1000000 )) ms"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    exit 0
  fi
  sleep 0.1
done
echo "20-kafka: the broker did not listen within 60 s:" >&2
cat "$dir/broker.log" >&2
exit 1
