import { networkError } from './network.js';

export interface RetryOptions {
  attempts?: number;
  minDelayMs?: number;
  maxDelayMs?: number;
  isRetryable?: (error: unknown) => boolean;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** Calls fn until it succeeds or attempts run out, waiting with exponential backoff and full jitter. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 4;
  const minDelay = options.minDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 8000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const retryable = options.isRetryable?.(error) ?? true;
      if (!retryable || attempt >= attempts) throw error;
      const hinted = error instanceof RetryableHttpError ? error.retryAfterMs : undefined;
      const backoff = Math.min(maxDelay, minDelay * 2 ** (attempt - 1));
      const delay =
        hinted !== undefined
          ? Math.min(maxDelay, hinted)
          : Math.round(backoff / 2 + (Math.random() * backoff) / 2);
      options.onRetry?.(error, attempt, delay);
      await sleep(delay);
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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
 * Throws NetworkError (method, host:port, path, cause) when the last attempt got no answer.
 */
export async function fetchWithRetry(
  url: string | URL,
  init: RequestInit = {},
  options: FetchRetryOptions = {},
): Promise<Response> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return retry(
    async () => {
      let response: Response;
      try {
        response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        throw networkError(error, init.method ?? 'GET', url, timeoutMs);
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
