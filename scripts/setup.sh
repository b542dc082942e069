#!/usr/bin/env bash
# Installs what vtymux's demo and tests need on a fresh Debian 12 machine (as root), then builds.
# Idempotent: each step runs only when its result is missing or stale. Quiet on success; a failing
# step prints its log's tail and exits non-zero. Runs unattended (CI: root, no stdin).
set -euo pipefail
cd "$(dirname "$0")/.."
# The routing suites' sources and build scripts sit beside the repo clone (read-only in CI; the
# build scripts work in temporary directories).
SHARED="$(cd .. && pwd)/shared"
QUAGGA_PREFIX=/opt/quagga-1.2.4
FRR10_PREFIX=/opt/frr-10
export DEBIAN_FRONTEND=noninteractive

need_apt=()
[ -x /usr/lib/frr/zebra ] && [ -x /usr/lib/frr/ospfd ] || need_apt+=(frr)
command -v ip >/dev/null || need_apt+=(iproute2)
command -v tmux >/dev/null || need_apt+=(tmux)
command -v zsh >/dev/null || need_apt+=(zsh)   # the completion test parses the zsh script with zsh itself
# `lab up --ssh` and the SSH transport tests run Debian's sshd in each lab namespace.
[ -x /usr/sbin/sshd ] || need_apt+=(openssh-server)
command -v git >/dev/null || need_apt+=(git)   # config backups are git repositories
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "setup: need root to apt-get install ${need_apt[*]}" >&2; exit 1; fi
  echo "setup: apt-get install ${need_apt[*]}" >&2
  apt-get update -qq >/dev/null
  # The package's service must not start: the lab runs its own daemons in namespaces.
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# The same checks the build scripts make before skipping (binaries there and of the right version).
quagga_ok() {
  local d
  for d in zebra ospfd; do
    [ -x "$QUAGGA_PREFIX/sbin/$d" ] && "$QUAGGA_PREFIX/sbin/$d" -v 2>/dev/null | grep -q 'version 1\.2\.4' || return 1
  done
}
frr10_ok() {
  local d
  for d in mgmtd zebra ospfd staticd; do [ -x "$FRR10_PREFIX/sbin/$d" ] || return 1; done
  [ -x "$FRR10_PREFIX/bin/vtysh" ] && [ -e "$FRR10_PREFIX/lib/libyang.so.2" ] &&
    "$FRR10_PREFIX/sbin/zebra" --version 2>/dev/null | grep -q 'version 10\.7\.0$' &&
    [ -d "$FRR10_PREFIX/run/run/frr" ] && [ -d "$FRR10_PREFIX/run/lib/frr" ]
}
# build NAME SCRIPT PREFIX: runs a suite's build script with its output in a log; loud on failure.
build_suite() {
  local name=$1 script=$2 prefix=$3 log
  if [ ! -f "$script" ]; then
    echo "setup: $name is not installed in $prefix and its build script $script is missing (is ../shared beside the repo?)" >&2
    exit 1
  fi
  if [ "$(id -u)" != 0 ]; then echo "setup: need root to build $name into $prefix" >&2; exit 1; fi
  log=$(mktemp "${TMPDIR:-/tmp}/vtymux-setup-$name.XXXXXX.log")
  echo "setup: building $name into $prefix (a few minutes; log $log)" >&2
  if ! bash "$script" "$prefix" </dev/null >"$log" 2>&1; then
    tail -40 "$log" >&2
    echo "setup: building $name failed (full log: $log)" >&2
    exit 1
  fi
  rm -f "$log"
}
# The lab runs Quagga 1.2.4 and FRR 10.7.0 on its LVS hosts (lab up --suite quagga|frr10).
quagga_ok || build_suite quagga-1.2.4 "$SHARED/suites/quagga-1.2.4/build-quagga.sh" "$QUAGGA_PREFIX"
quagga_ok || { echo "setup: Quagga 1.2.4 built but $QUAGGA_PREFIX/sbin/{zebra,ospfd} -v do not say 1.2.4" >&2; exit 1; }
frr10_ok || build_suite frr-10.7.0 "$SHARED/suites/frr-10.7.0/build-frr10.sh" "$FRR10_PREFIX"
frr10_ok || { echo "setup: FRR 10.7.0 built but $FRR10_PREFIX is incomplete (mgmtd/zebra/ospfd/staticd, vtysh, libyang, run dirs)" >&2; exit 1; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi

echo "setup: build" >&2
npm run --silent build >/dev/null
