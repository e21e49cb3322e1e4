#!/usr/bin/env bash
# OpenSearch for the elasticsearch output's integration tests: resolve the server from Maven Central
# (cached in ~/.cache/logpipe-test-servers), then prove a node starts and answers on HTTP.
# Exits non-zero when it cannot: CI fails, the tests never skip.
set -euo pipefail
cd "$(dirname "$0")/../.."
home="$(test/servers/opensearch/install.sh)"
echo "OpenSearch home: $home"

node_dir="$(mktemp -d /tmp/logpipe-opensearch-ci.XXXXXX)"
port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
test/servers/opensearch/start.sh "$node_dir" "$port" > "$node_dir/node.log" 2>&1 &
pid=$!
cleanup() { kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$node_dir"; }
trap cleanup EXIT

for _ in $(seq 1 180); do
  if body="$(curl -fsS "http://127.0.0.1:$port/" 2>/dev/null)"; then
    echo "$body" | grep -q '"distribution" : "opensearch"' || { echo "unexpected answer: $body" >&2; exit 1; }
    echo "OpenSearch node answered on port $port"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "OpenSearch node exited during startup:" >&2
    tail -50 "$node_dir/node.log" >&2
    exit 1
  fi
  sleep 1
done
echo "OpenSearch node did not answer within 180 s:" >&2
tail -50 "$node_dir/node.log" >&2
exit 1
