#!/usr/bin/env bash
# The whole test suite: unit tests, then integration tests against a real FRR lab in network
# namespaces (the lab is brought up and torn down by the tests' global setup). Ends with the
# plain line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

rm -rf .vtymux-test   # what vtymux writes during the suite; the last test greps it all
# A marker left by a run that was killed (SIGKILL skips the trap) no longer says who started a lab
# named vmx: drop it, so this run's cleanup never takes down a demo lab brought up since.
rm -f /run/vtymux/readme-examples-lab.started
report="$(mktemp -d)/vitest.json"
cleanup() {
  # Belt and braces: every test file tears its labs down, but not if vitest itself is killed.
  # `lab down` finds a lab's namespaces, links and daemons by name even without its state file.
  for lab in vmxt vmxq vmxf vmxs vmxe vmxd vmxg vmxz; do node dist/cli.js lab down --name "$lab" >/dev/null 2>&1 || true; done
  for farm in vmft vmfx; do node dist/cli.js lab farm down --name "$farm" >/dev/null 2>&1 || true; done
  # readme-examples.test.ts runs the README on the default-named lab (the demo's name): remove it
  # only when that test started it (its marker), never a demo lab someone has up.
  marker=/run/vtymux/readme-examples-lab.started
  if [ -f "$marker" ]; then node dist/cli.js lab down >/dev/null 2>&1 || true; rm -f "$marker"; fi
}
trap cleanup EXIT INT TERM

npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
status=$?
node scripts/summarize-tests.mjs "$report" || status=1
exit $status
