#!/usr/bin/env bash
# Installs what vtymux's demo and tests need on a fresh Debian 12 machine (as root), then builds.
# Idempotent: each step runs only when its result is missing or stale.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
[ -x /usr/lib/frr/zebra ] && [ -x /usr/lib/frr/ospfd ] || need_apt+=(frr)
command -v ip >/dev/null || need_apt+=(iproute2)
command -v tmux >/dev/null || need_apt+=(tmux)
command -v zsh >/dev/null || need_apt+=(zsh)   # the completion test parses the zsh script with zsh itself
# `lab up --ssh` and the SSH transport tests run Debian's sshd in each lab namespace.
[ -x /usr/sbin/sshd ] || need_apt+=(openssh-server)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "setup: need root to apt-get install ${need_apt[*]}" >&2; exit 1; fi
  echo "setup: apt-get install ${need_apt[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # The package's service must not start: the lab runs its own daemons in namespaces.
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi

echo "setup: build" >&2
npm run --silent build >/dev/null
