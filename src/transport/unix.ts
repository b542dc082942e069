// A vty reached through a unix socket instead of TCP: how tools reach daemons that listen on
// 127.0.0.1 inside a network namespace (a forwarder in the namespace owns the socket file).
import { openSocket, type TransportFactory } from './tcp.js';

/** `socketFor(port)` names the socket file that stands for the vty on that port. */
export function openUnix(socketFor: (port: number) => string): TransportFactory {
  return ({ port, connectTimeoutMs }, handlers) => openSocket({ path: socketFor(port) }, connectTimeoutMs, handlers);
}
