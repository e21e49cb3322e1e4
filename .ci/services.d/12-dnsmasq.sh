#!/usr/bin/env bash
# The dns filter's tests run a private dnsmasq (Debian's dnsmasq-base: the binary, no system service).
set -euo pipefail
if ! [ -x /usr/sbin/dnsmasq ]; then
  echo "   installing dnsmasq-base"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dnsmasq-base
fi
/usr/sbin/dnsmasq --version | head -1
