#!/usr/bin/python3
"""One measured run of the Ansible peer: ansible-playbook with ansible.netcommon.telnet.

    /usr/bin/python3 bench/peers/ansible_fleet.py SPEC.json

Writes an inventory and a playbook into a private temp dir, runs `ansible-playbook` (Debian's
ansible, forks = SPEC.fanout) and prints one JSON line: workMs (the whole ansible-playbook
process: that is how a user runs it), hosts, okHosts, failures.

How the module is made to talk to an FRR vty (it can, with two workarounds):
- the module always waits for `login_prompt` and sends `user`; FRR's vty asks no username, only
  `Password: `. So login_prompt is `Password: `, the vty password goes in `user`, and `password`
  is empty (the module then skips its own password step);
- `enable` answers with another `Password: `, so the module's `prompts` are both the vty prompt
  and `Password: `, and the enable password is sent as the next "command";
- `pause` defaults to 1 s after every command; it is set to 0 (fair to the peer).
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

spec = json.load(open(sys.argv[1]))
endpoints = spec["endpoints"]
config = spec["config"]
shows = spec["show"]
verify = spec.get("verify") or ""

commands = ["enable", "{{ lookup('env', 'VTYMUX_ENABLE_PASSWORD') }}", "terminal length 0"]
if config:
    commands += ["configure terminal"] + [l.strip() for l in config] + ["end"]
commands += shows
skip = len(commands) - len(shows)

work = tempfile.mkdtemp(prefix="vtymux-bench-ansible-")
os.chmod(work, 0o700)
with open(os.path.join(work, "hosts.yaml"), "w") as f:
    f.write("all:\n  hosts:\n")
    for e in endpoints:
        f.write("    %s: { ansible_host: %s, vty_port: %d }\n" % (e["name"], e["address"], e["port"]))

playbook = {
    "hosts": "all",
    "gather_facts": False,
    "connection": "local",
    "tasks": [
        {
            "name": "vty batch",
            "ansible.netcommon.telnet": {
                "host": "{{ ansible_host }}",
                "port": "{{ vty_port }}",
                "user": "{{ lookup('env', 'VTYMUX_PASSWORD') }}",
                "password": "",
                "login_prompt": "Password: ",
                "prompts": ["[>#] $", "Password: $"],
                "command": commands,
                "pause": 0,
                "timeout": 60,
            },
            "register": "out",
            # a vty error (`% ...`) in any show output, or the verify text missing, fails the host.
            # The module registers its outputs as bytes, so they are tested through their repr
            # (`| string`), where a newline reads as the two characters backslash and n.
            "failed_when": "(out.output | default([]) | length) != {n} or "
            "('\\\\n% ' in (out.output[{skip}:] | map('string') | join(' '))) or "
            "('{verify}' not in (out.output[-1] | string))".format(n=len(commands), skip=skip, verify=verify),
        }
    ],
}
with open(os.path.join(work, "play.yaml"), "w") as f:
    json.dump([playbook], f)  # JSON is YAML

env = dict(os.environ)
env.update(
    {
        "ANSIBLE_FORKS": str(spec["fanout"]),
        "ANSIBLE_HOST_KEY_CHECKING": "False",
        "ANSIBLE_RETRY_FILES_ENABLED": "False",
        "ANSIBLE_DISPLAY_OK_HOSTS": "False",
        "ANSIBLE_DISPLAY_SKIPPED_HOSTS": "False",
        "ANSIBLE_LOCAL_TEMP": os.path.join(work, "tmp"),
        "ANSIBLE_NOCOLOR": "1",
        **({"ANSIBLE_STDOUT_CALLBACK": "json"} if os.environ.get("BENCH_ANSIBLE_DEBUG") else {}),
    }
)
t0 = time.perf_counter()
proc = subprocess.run(
    ["ansible-playbook", "-i", os.path.join(work, "hosts.yaml"), os.path.join(work, "play.yaml")],
    env=env,
    capture_output=True,
    text=True,
)
work_ms = (time.perf_counter() - t0) * 1000
recap = re.findall(r"^(\S+)\s+: ok=(\d+)\s+changed=\d+\s+unreachable=(\d+)\s+failed=(\d+)", proc.stdout, re.M)
ok = sum(1 for _, o, u, fl in recap if o != "0" and u == "0" and fl == "0")
failures = ["%s: failed" % h for h, o, u, fl in recap if not (o != "0" and u == "0" and fl == "0")]
if not recap:
    failures = ["ansible-playbook exit %d: %s" % (proc.returncode, (proc.stderr or proc.stdout)[-500:])]
else:
    msgs = re.findall(r"^fatal: \[(\S+)\]: .*", proc.stdout, re.M)
    if msgs:
        failures = [m[:300] for m in re.findall(r"^fatal: .*", proc.stdout, re.M)[:5]]
if os.environ.get("BENCH_ANSIBLE_DEBUG"):
    sys.stderr.write(proc.stdout[-3000:])
subprocess.run(["rm", "-rf", work])
print(json.dumps({"workMs": work_ms, "hosts": len(endpoints), "okHosts": ok, "failures": failures[:5], "maxRssKb": 0}))
