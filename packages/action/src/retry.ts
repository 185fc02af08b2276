import { CancelledError, cancellationSignal, throwIfCancelled } from './cancellation.js';
import { networkError } from './network.js';

export interface RetryOptions {
  /** Default 4, or unbounded when a deadline is given. */
  attempts?: number;
  /** Epoch ms: no retry is started that would wait past it; the last error is thrown instead. */
  deadline?: number;
  minDelayMs?: number;
  maxDelayMs?: number;
  isRetryable?: (error: unknown) => boolean;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** Calls fn until it succeeds or attempts run out, waiting with exponential backoff and full jitter. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? (options.deadline === undefined ? 4 : Infinity);
  const minDelay = options.minDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 8000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const retryable = !(error instanceof CancelledError) && (options.isRetryable?.(error) ?? true);
      if (!retryable || attempt >= attempts) throw error;
      const hinted = retryAfterOf(error);
      const backoff = Math.min(maxDelay, minDelay * 2 ** Math.min(attempt - 1, 30));
      const delay =
        hinted !== undefined
          ? Math.min(maxDelay, hinted)
          : Math.round(backoff / 2 + (Math.random() * backoff) / 2);
      if (options.deadline !== undefined && Date.now() + delay > options.deadline) throw error;
      options.onRetry?.(error, attempt, delay);
      await sleep(delay, cancellationSignal());
      throwIfCancelled('the next attempt');
    }
  }
}

/** Waits `ms`, or less when `signal` aborts (it resolves then, it does not throw). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The server's Retry-After hint carried by an error (RetryableHttpError, or any error with `retryAfterMs`). */
function retryAfterOf(error: unknown): number | undefined {
  const hinted = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof hinted === 'number' && Number.isFinite(hinted) ? hinted : undefined;
}

export class RetryableHttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'RetryableHttpError';
  }
}

export interface FetchRetryOptions extends RetryOptions {
  /** Per attempt. */
  timeoutMs?: number;
}

/**
 * fetch() that retries network errors, timeouts, 429 and 5xx (honouring Retry-After), and returns any other
 * response, including 4xx, for the caller to judge. The body must be re-creatable, so pass strings or Buffers.
 * Throws NetworkError (method, host:port, path, cause) when the last attempt got no answer, and CancelledError
 * (at once, without retrying) once the job was cancelled.
 */
export async function fetchWithRetry(
  url: string | URL,
  init: RequestInit = {},
  options: FetchRetryOptions = {},
): Promise<Response> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return retry(
    async () => {
      const method = init.method ?? 'GET';
      throwIfCancelled(`${method} ${redactUrl(url)}`);
      let response: Response;
      try {
        const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), cancellationSignal()]);
        response = await fetch(url, { ...init, signal });
      } catch (error) {
        throwIfCancelled(`${method} ${redactUrl(url)} was answered`);
        throw networkError(error, method, url, timeoutMs);
      }
      if (response.status === 429 || response.status >= 500) {
        const text = await response.text().catch(() => '');
        throw new RetryableHttpError(
          `${init.method ?? 'GET'} ${redactUrl(url)} answered ${response.status} ${response.statusText}${text ? `: ${text.slice(0, 300)}` : ''}`,
          response.status,
          parseRetryAfter(response.headers.get('retry-after')),
        );
      }
      return response;
    },
    { ...options, isRetryable: options.isRetryable ?? (() => true) },
  );
}

export function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Drops credentials from a URL before it is printed. */
export function redactUrl(url: string | URL): string {
  try {
    const parsed = new URL(String(url));
    if (parsed.username || parsed.password) {
      parsed.username = '***';
      parsed.password = '';
    }
    return parsed.toString();
  } catch {
    return String(url);
  }
}
