#!/usr/bin/env bash
# The demo: installs what is missing, brings up a lab of real FRR daemons (r0 + 3 LVS hosts in
# network namespaces, a client behind r0) unless one is up, and opens vtymux on it. `vtymux lab down` removes it all.
# `bash scripts/demo.sh quagga` (or frr10, or a list like quagga,frr10) runs the LVS hosts on that
# suite; r0 is always FRR 8.4.4. A lab that is already up is reused as it is.
set -euo pipefail
suite=${1:-frr}
cd "$(dirname "$0")/.."
bash scripts/setup.sh
vtymux() { node dist/cli.js "$@"; }

# `lab inventory` succeeds only when the lab's state exists (lab status exits 0 either way).
if ! vtymux lab inventory >/dev/null 2>&1; then
  vtymux lab down >/dev/null 2>&1 || true   # leftovers of a crashed lab
  vtymux lab up --lvs 3 --client --suite "$suite"   # what the README's examples run on
fi
inv=vtymux-lab.yaml
vtymux lab inventory --write "$inv" 2>/dev/null
eval "$(vtymux lab env)"

if [ -t 0 ] && [ -t 1 ] && vtymux shell --help >/dev/null 2>&1; then
  echo "opening the vtymux shell on the lab (try: show ip ospf neighbor; :help; :quit)" >&2
  exec node dist/cli.js shell -i "$inv" -t @all
fi
# No terminal (or no shell yet): show the gathered view once from the command line.
vtymux exec -i "$inv" -t @all -d ospfd -c "show ip ospf neighbor" || true
echo >&2
echo "lab is up: try  node dist/cli.js exec -i $inv -t 'lvs[01-03]' -c 'show running-config' --diff" >&2
echo "remove it with: node dist/cli.js lab down" >&2
