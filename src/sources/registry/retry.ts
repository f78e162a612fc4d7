// Retries for registry requests: 5xx, 408 and 429 answers (waiting as long as Retry-After asks, within a cap)
// and dropped connections, with jittered exponential backoff. The user is told each trouble once when it starts, once
// that it goes on, and once why its retries stopped: not every retry of every request, which a registry answering 5xx
// to a whole pull turned into dozens of lines before the error.
import { SourceError } from '../../errors.js';
import { discardBody } from '../slow-body.js';
import { errorCode, type Response, type Transport } from './transport.js';

export interface RetryOptions {
  /** Attempts per request on 5xx, 429 and dropped connections. Default 5. */
  attempts?: number;
  /** First backoff delay; doubles per attempt. Default 500 ms. */
  backoffMs?: number;
  /** Longest wait a Retry-After header may ask for. Default 60 s. */
  maxRetryAfterMs?: number;
  /** Progress / retry notes for the user (stderr). */
  notice?: (message: string) => void;
}

const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504]);
/** Socket errors worth another try: the server or the path to it dropped the connection. */
export const RETRY_ERRORS = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function retryAfterMs(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

export class Retrier {
  /** How often each trouble (`HTTP 503 from host`) was met, for telling it once and then once that it goes on. */
  private readonly troubles = new Map<string, number>();

  constructor(
    private readonly transport: Transport,
    private readonly options: RetryOptions = {},
  ) {}

  get attempts(): number {
    return this.options.attempts ?? 5;
  }

  /**
   * Runs one request with retries on 5xx/429 and dropped connections, and reads its body with `read` inside
   * the same attempt (a body cut midway is retried too). Once a request starts failing, its retries get one
   * --timeout in all: a wait (backoff or Retry-After) that would end past it is not taken, and the last
   * answer or error is the result. So a failing request ends within about twice --timeout.
   */
  async run<T>(
    send: (deadline?: number) => Promise<Response>,
    url: URL,
    read: (response: Response) => Promise<T>,
    /** Who `url` is, for error messages, when it is not the registry itself (its token server). */
    server?: string,
  ): Promise<T> {
    const attempts = this.attempts;
    let deadline: number | undefined;
    for (let attempt = 1; ; attempt++) {
      const last = attempt === attempts;
      let response: Response;
      try {
        response = await send(deadline);
        const status = response.res.statusCode ?? 0;
        if (RETRY_STATUS.has(status) && !last) {
          const retryAfter = retryAfterMs(response.res.headers['retry-after'] as string | undefined);
          deadline ??= Date.now() + this.transport.timeoutMs();
          const wait = this.waitFor(attempt, retryAfter);
          if (Date.now() + wait < deadline) {
            discardBody(response.res);
            await this.pause(wait, `HTTP ${status} from ${url.host}`);
            continue;
          }
          // Once: every request met by the same trouble stops at its own deadline, for the same reason.
          if (this.firstTime(`stop:${status}:${url.host}`))
            this.options.notice?.(
              `HTTP ${status} from ${url.host}; not retrying: waiting ${(wait / 1000).toFixed(1)}s more would pass --timeout`,
            );
        }
        return await read(response);
      } catch (error) {
        const code = errorCode(error);
        if (error instanceof SourceError || !code || !RETRY_ERRORS.has(code) || last)
          throw this.transport.networkError(error, url, server);
        deadline ??= Date.now() + this.transport.timeoutMs();
        const wait = this.waitFor(attempt, undefined);
        if (Date.now() + wait >= deadline) throw this.transport.networkError(error, url, server);
        await this.pause(wait, `${code} from ${url.host}`);
      }
    }
  }

  /** How long to wait before attempt `attempt + 1`: what Retry-After asks (capped), else jittered backoff. */
  private waitFor(attempt: number, retryAfter: number | undefined): number {
    const base = this.options.backoffMs ?? 500;
    const computed = Math.min(base * 2 ** (attempt - 1), 10_000) * (0.8 + Math.random() * 0.4);
    return retryAfter !== undefined ? Math.min(retryAfter, this.options.maxRetryAfterMs ?? 60_000) : computed;
  }

  /** Whether `key` is met for the first time. Keys are few: a status or error code and a host, or a download's fault. */
  private firstTime(key: string): boolean {
    const seen = this.troubles.has(key);
    this.troubles.set(key, 1);
    return !seen;
  }

  /**
   * Waits `wait` before a retry, telling `why` when `trouble` (what `why` says, without what changes per request or
   * per try) is new, and once more when it comes again; its further retries, of this request or another, are quiet.
   */
  private async pause(wait: number, why: string, trouble = why): Promise<void> {
    const met = this.troubles.get(trouble) ?? 0;
    this.troubles.set(trouble, met + 1);
    if (met === 0) this.options.notice?.(`${why}; retrying in ${(wait / 1000).toFixed(1)}s`);
    else if (met === 1) this.options.notice?.(`${trouble} again; still retrying (further retries of it are not told)`);
    await sleep(wait);
  }

  /**
   * Waits before resuming a download; false (no wait) when the wait would end past `deadline`. `trouble` is `why`
   * without the layer and byte count, so that every layer cut the same way is told as one trouble.
   */
  async backoff(attempt: number, why: string, deadline?: number, trouble?: string): Promise<boolean> {
    const wait = this.waitFor(attempt, undefined);
    if (deadline !== undefined && Date.now() + wait >= deadline) return false;
    await this.pause(wait, why, trouble);
    return true;
  }
}
