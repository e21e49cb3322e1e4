#!/usr/bin/env bash
# The syslog input's integration tests send with the system's own senders: `logger` (util-linux,
# Debian package bsdutils) and `rsyslogd` (started by the tests themselves with a private config,
# pid file and work directory). Installs them from apt when absent; never starts the system daemon.
set -euo pipefail

need=()
command -v logger >/dev/null || need+=(bsdutils)
command -v rsyslogd >/dev/null || [ -x /usr/sbin/rsyslogd ] || need+=(rsyslog)

if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}"
  # Keep package scripts from starting the system rsyslog daemon (exit 101: "action forbidden").
  created_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    created_policy=1
  fi
  trap 'if [ "$created_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi' EXIT
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

logger --version >/dev/null
rsyslogd -v >/dev/null 2>&1 || /usr/sbin/rsyslogd -v >/dev/null
# logger's --rfc3164/--rfc5424, -n/-P/-d/-T options appeared in util-linux 2.25.
logger --help | grep -q -- '--rfc5424' || { echo "logger lacks --rfc5424 (util-linux too old)" >&2; exit 1; }
echo "logger and rsyslogd ready"
