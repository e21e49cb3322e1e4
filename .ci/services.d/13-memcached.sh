#!/usr/bin/env bash
# The memcached filter's tests run a private memcached from Debian's package (not the system service).
set -euo pipefail
if ! [ -x /usr/bin/memcached ]; then
  echo "   installing memcached"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq memcached
fi
/usr/bin/memcached -V
