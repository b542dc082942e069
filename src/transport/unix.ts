// A vty reached through a unix socket instead of TCP: how tools reach daemons that listen on
// 127.0.0.1 inside a network namespace (a forwarder in the namespace owns the socket file).
import net from 'node:net';
import { describeSocketError, TransportError, type TransportFactory } from './tcp.js';

/** `socketFor(port)` names the socket file that stands for the vty on that port. */
export function openUnix(socketFor: (port: number) => string): TransportFactory {
  return ({ port, connectTimeoutMs }, handlers) => {
    const socket = new net.Socket();
    let connected = false;
    let done = false;
    const timer = setTimeout(() => {
      if (connected || done) return;
      done = true;
      socket.destroy();
      handlers.onError(new TransportError(`connect timed out after ${connectTimeoutMs} ms`, 'ETIMEDOUT', true));
    }, connectTimeoutMs);
    socket.on('connect', () => {
      clearTimeout(timer);
      connected = true;
      handlers.onConnect();
    });
    socket.on('data', (b: Buffer) => handlers.onData(b));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (done) return;
      done = true;
      handlers.onError(new TransportError(describeSocketError(err.code, err.message), err.code ?? 'EIO', !connected));
    });
    socket.on('close', () => {
      clearTimeout(timer);
      if (done) return;
      done = true;
      handlers.onEnd();
    });
    socket.connect({ path: socketFor(port) });
    return {
      write(bytes) {
        if (!done && connected) socket.write(bytes);
      },
      close() {
        clearTimeout(timer);
        if (done) return;
        done = true;
        socket.destroy();
      },
    };
  };
}
