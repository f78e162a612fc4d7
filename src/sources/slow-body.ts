// The guard against a server that sends its headers, then its body a byte now and then (slow loris): every such byte
// resets a socket's idle timeout, so without it a registry or a daemon could hold a command far past --timeout.
// Shared by the registry client and the daemon client.
import type { IncomingMessage } from 'node:http';

/**
 * The slowest a response body may arrive, averaged over each --timeout window, unless ballast itself is the one
 * not reading. A slow-loris server that sends a byte now and then never trips the idle timeout; this cuts it
 * (and a registry download is retried or resumed). 1 KiB/s is far below any real link.
 */
export const MIN_BYTES_PER_SECOND = 1024;

/** Marks the errors `watchBodyRate` ends a body with, so callers can say "too slow" rather than "did not answer". */
const SLOW = Symbol('slow body');

/** An error with the code a socket timeout has (ETIMEDOUT), which callers already report as a timeout. */
export function timeoutError(message: string): NodeJS.ErrnoException {
  const error = new Error(message) as NodeJS.ErrnoException;
  error.code = 'ETIMEDOUT';
  return error;
}

/** Whether `error` is the one `watchBodyRate` cut a body with. */
export function isSlowBody(error: unknown): boolean {
  return typeof error === 'object' && error !== null && SLOW in error;
}

/**
 * Cuts `res` (destroying it with an ETIMEDOUT error, see isSlowBody) when its body arrives slower than
 * MIN_BYTES_PER_SECOND over a whole `windowMs`, unless the reader is behind; a window with no byte at all is a
 * plain timeout (not marked slow).
 */
export function watchBodyRate(res: IncomingMessage, windowMs: number): void {
  const socket = res.socket;
  if (!socket) return;
  let last = socket.bytesRead;
  const watch = setInterval(() => {
    const now = socket.bytesRead;
    // Bytes waiting in the response's buffer mean ballast is the slow one (backpressure), not the server.
    const readerBehind = res.readableLength > 0;
    if (!readerBehind && now === last) {
      // Not a byte for a whole window: the server went silent (the idle timeout would cut it about now too), so it
      // is told as a timeout, not as a slow body.
      res.destroy(timeoutError(`the server sent nothing for ${windowMs / 1000}s`));
    } else if (!readerBehind && now - last < (MIN_BYTES_PER_SECOND * windowMs) / 1000) {
      const error = timeoutError(`the server sent less than ${MIN_BYTES_PER_SECOND} bytes/s for ${windowMs / 1000}s`);
      Object.defineProperty(error, SLOW, { value: true });
      res.destroy(error);
    }
    last = now;
  }, windowMs);
  watch.unref();
  const stop = (): void => clearInterval(watch);
  res.once('end', stop);
  res.once('close', stop);
}

/**
 * Reads a response's body to its end and drops it (a redirect's, a 401's, a retried status's, a ping's), so its socket
 * is free for the next request. Nobody else reads such a body, so nothing else listens for its 'error' (the socket
 * reset halfway through it): an 'error' no one listens for ends the process.
 */
export function discardBody(res: IncomingMessage): void {
  res.on('error', () => undefined);
  res.resume();
}
