#!/usr/bin/env bash
# Installs what the benchmark's peers need; idempotent (does nothing when all is there).
#   Debian: python3-netmiko (Netmiko peer), ansible (ansible.netcommon.telnet peer),
#           clustershell and pdsh (the SSH bench's peers: bench/ssh.mjs), openssh-client
#   npm:    telnet-client (a devDependency: `npm install` brings it)
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
/usr/bin/python3 -c 'import netmiko' 2>/dev/null || need_apt+=(python3-netmiko)
command -v ansible-playbook >/dev/null 2>&1 || need_apt+=(ansible)
command -v clush >/dev/null 2>&1 || need_apt+=(clustershell)
command -v pdsh >/dev/null 2>&1 || need_apt+=(pdsh)
command -v ssh >/dev/null 2>&1 || need_apt+=(openssh-client)
if ((${#need_apt[@]})); then
  echo "bench setup: apt-get install ${need_apt[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ ! -d node_modules/telnet-client ]; then
  echo "bench setup: npm install (telnet-client)" >&2
  npm install --no-audit --no-fund >/dev/null
fi

[ -x /usr/bin/time ] || { echo "bench setup: apt-get install time" >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
exit 0
