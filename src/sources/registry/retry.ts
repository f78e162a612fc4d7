// Retries for registry requests: 5xx, 408 and 429 answers (waiting as long as Retry-After asks, within a cap)
// and dropped connections, with jittered exponential backoff. Every retry is told to the user as a notice.
import { SourceError } from '../../errors.js';
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
export const RETRY_ERRORS = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

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
  constructor(
    private readonly transport: Transport,
    private readonly options: RetryOptions = {},
  ) {}

  get attempts(): number {
    return this.options.attempts ?? 5;
  }

  /** Runs one request with retries on 5xx/429 and dropped connections; returns the final response. */
  async run(send: () => Promise<Response>, url: URL): Promise<Response> {
    const attempts = this.attempts;
    let last: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let response: Response;
      try {
        response = await send();
      } catch (error) {
        last = error;
        const code = errorCode(error);
        if (error instanceof SourceError || !code || !RETRY_ERRORS.has(code) || attempt === attempts) throw this.transport.networkError(error, url);
        await this.backoff(attempt, undefined, `${code} from ${url.host}`);
        continue;
      }
      const status = response.res.statusCode ?? 0;
      if (!RETRY_STATUS.has(status) || attempt === attempts) return response;
      response.res.resume();
      await this.backoff(attempt, retryAfterMs(response.res.headers['retry-after'] as string | undefined), `HTTP ${status} from ${url.host}`);
    }
    throw this.transport.networkError(last, url);
  }

  async backoff(attempt: number, retryAfter: number | undefined, why: string): Promise<void> {
    const base = this.options.backoffMs ?? 500;
    const computed = Math.min(base * 2 ** (attempt - 1), 10_000) * (0.8 + Math.random() * 0.4);
    const wait = retryAfter !== undefined ? Math.min(retryAfter, this.options.maxRetryAfterMs ?? 60_000) : computed;
    this.options.notice?.(`${why}; retrying in ${(wait / 1000).toFixed(1)}s`);
    await sleep(wait);
  }
}
