#!/usr/bin/env bash
# Lays out an OpenSearch home (lib/ + modules/) from Maven Central artifacts, once per version.
# Test infrastructure only. Prints the home directory on stdout; everything else goes to stderr.
#   LOGPIPE_TEST_SERVERS  cache root (default ~/.cache/logpipe-test-servers)
# The result is reused while its .complete marker exists; delete the directory to rebuild it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="$(sed -n 's:.*<opensearch.version>\(.*\)</opensearch.version>.*:\1:p' "$here/pom.xml")"
root="${LOGPIPE_TEST_SERVERS:-$HOME/.cache/logpipe-test-servers}"
home="$root/opensearch-$version"

if [ -f "$home/.complete" ]; then
  echo "$home"
  exit 0
fi

command -v mvn >/dev/null || { echo "install.sh: mvn (Apache Maven) is required to resolve OpenSearch" >&2; exit 1; }
command -v java >/dev/null || { echo "install.sh: java (17) is required to run OpenSearch" >&2; exit 1; }

staging="$home.partial.$$"
rm -rf "$staging"
mkdir -p "$staging"
trap 'rm -rf "$staging"' EXIT

resolve() { # profile → directory
  mvn -q -f "$here/pom.xml" -P "$1" dependency:copy-dependencies -DoutputDirectory="$2" >&2
}

resolve server "$staging/lib"

# module name → classname, plugins it extends
declare -A profile=([transport-netty4]=netty4 [analysis-common]=analysis [lang-painless]=painless)
declare -A classname=(
  [transport-netty4]=org.opensearch.transport.Netty4Plugin
  [analysis-common]=org.opensearch.analysis.common.CommonAnalysisPlugin
  [lang-painless]=org.opensearch.painless.PainlessPlugin
)
declare -A extends=([transport-netty4]="" [analysis-common]=lang-painless [lang-painless]="")

for module in transport-netty4 analysis-common lang-painless; do
  dir="$staging/modules/$module"
  resolve "${profile[$module]}" "$dir"
  # A jar both in lib/ and in a module fails OpenSearch's jar-hell check: the server's copy wins,
  # as in the distribution.
  for jar in "$dir"/*.jar; do
    name="$(basename "$jar")"
    if [ -e "$staging/lib/$name" ]; then rm -f "$jar"; fi
  done
  cat > "$dir/plugin-descriptor.properties" <<DESC
description=$module module of OpenSearch $version, laid out by logpipe's test/servers/opensearch/install.sh
version=$version
name=$module
classname=${classname[$module]}
java.version=11
opensearch.version=$version
extended.plugins=${extends[$module]}
has.native.controller=false
DESC
  # The security manager stays on (OpenSearch installs it unconditionally); a throwaway test node
  # grants its three modules everything instead of repeating each module's own policy.
  cat > "$dir/plugin-security.policy" <<'POLICY'
grant {
  permission java.security.AllPermission;
};
POLICY
done

mkdir -p "$staging/plugins"
echo "$version" > "$staging/.complete"
rm -rf "$home"
mv "$staging" "$home"
trap - EXIT
echo "$home"
