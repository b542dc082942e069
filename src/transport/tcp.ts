// The only user of node:net: moves bytes between a vty and a session driver, nothing else.
import net from 'node:net';
import type { Status } from '../protocol/types.js';

export interface TransportHandlers {
  onConnect(): void;
  /**
   * Received bytes. Valid only during the call (a socket transport reads every socket into one
   * shared buffer): decode or copy them before returning.
   */
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
 * Where every socket's received bytes land (net's `onread`), one buffer for all of them: a read
 * callback runs to its end before libuv reads the next socket, and the handler consumes the bytes
 * inside it. The stream path it replaces (Readable.push, a fresh buffer and a 'data' emit per
 * read) was per-chunk JS on the path that waits for the slowest host (bench/NOTES.md).
 */
const RECEIVE = Buffer.allocUnsafe(64 * 1024);

/**
 * A transport over one `net.Socket` connected to `where` (TCP host/port or a unix socket path):
 * the connect timeout, the error vocabulary and the one-shot end are the same for both.
 */
export function openSocket(where: net.NetConnectOpts, connectTimeoutMs: number, handlers: TransportHandlers): Transport {
  // net.connect hands `onread` to the socket's constructor (socket.connect() would ignore it, and
  // no byte would ever arrive); every listener below is attached before anything can fire.
  const socket = net.connect({
    ...where,
    onread: {
      buffer: RECEIVE,
      callback: (n) => {
        handlers.onData(RECEIVE.subarray(0, n));
        return true;
      },
    },
  });
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
