#!/usr/bin/env python3
"""Time to the first frame of a terminal UI: `first-frame.py MARKER -- ARGV...`.

Starts ARGV on a pseudo-terminal (80x24), reads what it draws, and prints one JSON line
{"ms": time from exec to the first output holding MARKER, "bytes": ...}; then sends Ctrl-C twice and
kills what is left. MARKER is a plain string the first frame always shows.
"""
import fcntl, json, os, pty, select, signal, struct, sys, termios, time

def main():
    argv = sys.argv[1:]
    marker = argv[0].encode()
    cmd = argv[argv.index('--') + 1:]
    timeout = float(os.environ.get('FIRST_FRAME_TIMEOUT', '20'))
    t0 = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ['TERM'] = 'xterm-256color'
        os.execvp(cmd[0], cmd)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 80, 0, 0))
    seen = b''
    ms = None
    while time.monotonic() - t0 < timeout:
        r, _, _ = select.select([fd], [], [], 0.05)
        if not r:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if marker in seen:
            ms = (time.monotonic() - t0) * 1000
            break
    for _ in range(2):
        try:
            os.write(fd, b'\x03')
        except OSError:
            pass
        time.sleep(0.1)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
    print(json.dumps({'ms': ms, 'bytes': len(seen), 'tail': seen[-200:].decode('utf8', 'replace') if ms is None else None}))

main()
