// The only user of node:net: moves bytes between a vty and a session driver, nothing else.
import net from 'node:net';
import type { Status } from '../protocol/types.js';

export interface TransportHandlers {
  onConnect(): void;
  onData(bytes: Buffer): void;
  /** The peer closed (EOF) or the socket closed for any reason after connecting. */
  onEnd(): void;
  onError(error: TransportError): void;
}

export interface Transport {
  write(bytes: Buffer): void;
  /** Closes now; pending writes are flushed when possible. Idempotent. */
  close(): void;
}

export class TransportError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly beforeConnect: boolean,
    /** The session's final status when a transport knows better than unreachable/closed (SSH). */
    readonly status?: Status,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export type TransportFactory = (
  target: { address: string; port: number; connectTimeoutMs: number },
  handlers: TransportHandlers,
) => Transport;

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (daemon not running, or its vty not bound to this address/port)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connect timed out',
  ECONNRESET: 'connection reset by peer',
  EPIPE: 'connection broken (EPIPE)',
  EADDRNOTAVAIL: 'address not available',
};

export function describeSocketError(code: string | undefined, fallback: string): string {
  return (code && REASONS[code]) || fallback;
}

/**
 * A transport over one `net.Socket` connected to `where` (TCP host/port or a unix socket path):
 * the connect timeout, the error vocabulary and the one-shot end are the same for both.
 */
export function openSocket(where: net.NetConnectOpts, connectTimeoutMs: number, handlers: TransportHandlers): Transport {
  const socket = new net.Socket();
  let connected = false;
  let done = false;
  if (!('path' in where)) socket.setNoDelay(true);
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
  socket.connect(where);
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
}

export const openTcp: TransportFactory = ({ address, port, connectTimeoutMs }, handlers) => openSocket({ host: address, port }, connectTimeoutMs, handlers);
