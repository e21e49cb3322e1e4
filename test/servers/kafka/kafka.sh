#!/usr/bin/env bash
# Test infrastructure only: a real single-node Apache Kafka broker (KRaft, combined broker +
# controller) from the jars pom.xml resolves from Maven Central. See README.md beside this file.
#
#   kafka.sh resolve                       copy the jars into the cache (idempotent)
#   kafka.sh lib                           print the cache's lib directory (exit 1 when not resolved)
#   kafka.sh start <dir> <port> <ctl-port> format <dir> (first time only) and exec the broker in the
#                                          foreground: the caller's pid is the JVM's, so kill -9 works
#   kafka.sh java <main-class> [args...]   run a class from the same jars (perf tools, vectors)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/pom.xml")"
CACHE="${LOGPIPE_TEST_SERVERS_CACHE:-$HOME/.cache/logpipe-test-servers}/kafka-$VERSION"
LIB="$CACHE/lib"

resolved() { [ -f "$CACHE/.resolved" ] && [ -f "$LIB/kafka_2.13-$VERSION.jar" ]; }

cmd="${1:-}"
case "$cmd" in
  resolve)
    if resolved; then echo "$LIB"; exit 0; fi
    rm -rf "$LIB"
    mkdir -p "$LIB"
    mvn -q -B -f "$HERE/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$LIB"
    touch "$CACHE/.resolved"
    echo "$LIB"
    ;;
  lib)
    if resolved; then echo "$LIB"; else echo "Kafka $VERSION jars are not resolved: run test/servers/kafka/kafka.sh resolve" >&2; exit 1; fi
    ;;
  start)
    dir="$2"; port="$3"; ctl="$4"
    resolved || { echo "Kafka $VERSION jars are not resolved: run test/servers/kafka/kafka.sh resolve" >&2; exit 1; }
    mkdir -p "$dir/data"
    cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$ctl
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$ctl
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
log.flush.interval.messages=1
PROPS
    cat > "$dir/log4j2.properties" <<PROPS
rootLogger.level=WARN
rootLogger.appenderRef.out.ref=OUT
appender.out.type=Console
appender.out.name=OUT
appender.out.layout.type=PatternLayout
appender.out.layout.pattern=[%d] %p %m (%c)%n
PROPS
    if [ ! -f "$dir/data/meta.properties" ]; then
      java -cp "$LIB/*" -Dlog4j2.configurationFile="$dir/log4j2.properties" kafka.tools.StorageTool format \
        -t "$(java -cp "$LIB/*" kafka.tools.StorageTool random-uuid)" -c "$dir/server.properties" >/dev/null
    fi
    exec java -Xmx512m -Xms128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \
      -Dlog4j2.configurationFile="$dir/log4j2.properties" -cp "$LIB/*" kafka.Kafka "$dir/server.properties"
    ;;
  java)
    shift
    resolved || { echo "Kafka $VERSION jars are not resolved: run test/servers/kafka/kafka.sh resolve" >&2; exit 1; }
    exec java -Xmx512m -cp "$LIB/*" "$@"
    ;;
  *)
    echo "usage: kafka.sh resolve | lib | start <dir> <port> <controller-port> | java <class> [args]" >&2
    exit 2
    ;;
esac
