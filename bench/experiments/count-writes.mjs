// Counts the socket writes a Node process makes, and which lines they carry, so a client's writes
// per session can be set against the floor's (bench/NOTES.md, "`who` typed ahead"). Preloaded:
//   node --import ./bench/experiments/count-writes.mjs dist/bin/cli.js exec --no-log -d ospfd \
//     -i INVENTORY -t 'f[0001-0100]' -c 'configure terminal' … 2>&1 >/dev/null | tail -16
// Prints at exit, on stderr: the total (stderr and stdout are sockets too when they are pipes: a
// warning printed counts), then the 15 commonest writes (first 40 characters). The
// vty passwords of the environment (VTYMUX_PASSWORD, VTYMUX_ENABLE_PASSWORD) are shown as
// <password>, never as they are.
import net from 'node:net';

const secrets = [process.env.VTYMUX_PASSWORD, process.env.VTYMUX_ENABLE_PASSWORD].filter(Boolean);
const mask = (text) => secrets.reduce((t, s) => t.split(s).join('<password>'), text);
const write = net.Socket.prototype.write;
const counts = new Map();
let total = 0;
net.Socket.prototype.write = function (chunk, ...rest) {
  total++;
  const text = mask(Buffer.isBuffer(chunk) ? chunk.toString('latin1') : String(chunk));
  const key = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
  counts.set(key, (counts.get(key) ?? 0) + 1);
  return write.call(this, chunk, ...rest);
};
process.on('exit', () => {
  process.stderr.write(`socket writes: ${total}\n`);
  for (const [k, n] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 15)) process.stderr.write(`${n} ${k}\n`);
});
