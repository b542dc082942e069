#!/usr/bin/python3
"""One measured run of the Netmiko peer: what a Python user would write.

    /usr/bin/python3 bench/peers/netmiko_fleet.py SPEC.json

Netmiko (Debian's python3-netmiko), device_type cisco_ios_telnet, fast_cli=True, a
ThreadPoolExecutor of SPEC.fanout workers. FRR's vty asks only `Password: ` (no username):
Netmiko's telnet_login answers a password-only prompt as it is, so username is left empty.
Config lines go through send_config_set (configure terminal ... end), shows through send_command.
Prints one JSON line like the Node runner: workMs, hosts, okHosts, failures, maxRssKb.
"""
import json
import os
import re
import resource
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import logging

logging.disable(logging.CRITICAL)

from netmiko import ConnectHandler  # noqa: E402

spec = json.load(open(sys.argv[1]))
password = os.environ.get("VTYMUX_PASSWORD", "")
secret = os.environ.get("VTYMUX_ENABLE_PASSWORD", "")
config = spec["config"]
shows = spec["show"]
verify = spec.get("verify")


def one(ep):
    outputs = []
    conn = None
    try:
        conn = ConnectHandler(
            device_type="cisco_ios_telnet",
            host=ep["address"],
            port=ep["port"],
            username="",
            password=password,
            secret=secret,
            fast_cli=True,
            timeout=60,
        )
        conn.enable()
        if config:
            conn.send_config_set(config)
        for cmd in shows:
            outputs.append(conn.send_command(cmd))
    except Exception as e:  # noqa: BLE001 - a failed host is a result, not a crash
        return "%s: %s: %s" % (ep["name"], type(e).__name__, str(e).splitlines()[0] if str(e) else "")
    finally:
        if conn is not None:
            try:
                conn.disconnect()
            except Exception:  # noqa: BLE001
                pass
    for cmd, out in zip(shows, outputs):
        m = re.search(r"^% .*", out, re.M)
        if m:
            return "%s: '%s': %s" % (ep["name"], cmd, m.group(0))
    if verify and verify not in outputs[-1]:
        return "%s: verify text '%s' missing" % (ep["name"], verify)
    return None


endpoints = spec["endpoints"]
t0 = time.perf_counter()
with ThreadPoolExecutor(max_workers=min(spec["fanout"], len(endpoints))) as pool:
    verdicts = list(pool.map(one, endpoints))
work_ms = (time.perf_counter() - t0) * 1000
failures = [v for v in verdicts if v]
print(
    json.dumps(
        {
            "workMs": work_ms,
            "hosts": len(endpoints),
            "okHosts": len(endpoints) - len(failures),
            "failures": failures[:5],
            "maxRssKb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        }
    )
)
