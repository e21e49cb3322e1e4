#!/usr/bin/env bash
# Runs one single-node OpenSearch in the foreground (exec: the caller's child IS the JVM, so
# kill -9 on it is a real crash). Test infrastructure only.
#   start.sh NODE_DIR HTTP_PORT [-Esetting=value ...]
# NODE_DIR holds this node's config/, data/, logs/ and tmp/; starting again on the same NODE_DIR
# is a restart (the data is kept). The server itself comes from install.sh's cache.
# OPENSEARCH_JAVA_OPTS is appended to the JVM flags (the benchmark lifts the C1-only JIT that
# makes test nodes start in ~12 s instead of ~40 s: -XX:TieredStopAtLevel=4).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[ $# -ge 2 ] || { echo "usage: start.sh NODE_DIR HTTP_PORT [-Esetting=value ...]" >&2; exit 2; }
node_dir="$1"; http_port="$2"; shift 2
version="$(sed -n 's:.*<opensearch.version>\(.*\)</opensearch.version>.*:\1:p' "$here/pom.xml")"
home="${LOGPIPE_TEST_SERVERS:-$HOME/.cache/logpipe-test-servers}/opensearch-$version"
if [ ! -f "$home/.complete" ]; then
  echo "start.sh: OpenSearch $version is not installed in $home: run test/servers/opensearch/install.sh (CI runs it from .ci/services.d/30-opensearch.sh)" >&2
  exit 3
fi

mkdir -p "$node_dir/config" "$node_dir/data" "$node_dir/logs" "$node_dir/tmp"
cat > "$node_dir/config/opensearch.yml" <<YML
cluster.name: logpipe-test
node.name: node-1
discovery.type: single-node
network.host: 127.0.0.1
path.data: $node_dir/data
path.logs: $node_dir/logs
# The machine's disk fill level must not turn indices read-only under a test.
cluster.routing.allocation.disk.threshold_enabled: false
YML
cat > "$node_dir/config/log4j2.properties" <<'LOG'
status = error
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] %m%n
rootLogger.level = info
rootLogger.appenderRef.console.ref = console
LOG
: > "$node_dir/config/jvm.options"

# The distribution's launcher sets the same system properties. JNA stays on the class path (the
# bootstrap links against it) but its native library is made unloadable: OpenSearch then cannot
# tell that it runs as root (CI runs as root) and skips the native features a test node does not
# need (mlockall, system call filters).
exec java -Xms512m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  -Djava.io.tmpdir="$node_dir/tmp" \
  -Djava.security.manager=allow -Djava.locale.providers=SPI,COMPAT \
  -Dlog4j2.formatMsgNoLookups=true -Djava.awt.headless=true -Dfile.encoding=UTF-8 \
  -Djna.nosys=true -Djna.nounpack=true -Djna.boot.library.path=/nonexistent \
  -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true -Dio.netty.recycler.maxCapacityPerThread=0 \
  -Dopensearch.path.home="$home" -Dopensearch.path.conf="$node_dir/config" \
  -Dopensearch.distribution.type=tar -Dopensearch.bundled_jdk=false \
  ${OPENSEARCH_JAVA_OPTS:-} \
  -cp "$home/lib/*" org.opensearch.bootstrap.OpenSearch \
  -Ehttp.port="$http_port" -Etransport.port=0 "$@"
