import {
  CancelledError,
  errorMessage,
  fetchWithRetry,
  RetryableHttpError,
  redactUrl,
} from '@gin-deploy/action';
import { authHeaders, splitCredentials, type PrometheusAuth } from './auth.js';
import { PrometheusError } from './errors.js';
import { parseValue, type RangeSeries, type Sample } from './vector.js';

export interface PrometheusClientOptions extends PrometheusAuth {
  /** Base URL, with any path prefix (`https://mimir.example/prometheus`); `/api/v1/...` is appended. */
  url: string;
  /** Per attempt. */
  timeoutMs?: number;
  /** Attempts per query for network errors, timeouts, 429 and 5xx. */
  attempts?: number;
  minDelayMs?: number;
  onRetry?: (message: string, attempt: number, delayMs: number) => void;
}

interface ApiResponse {
  status: 'success' | 'error';
  data?: { resultType: 'vector' | 'matrix' | 'scalar' | 'string'; result: unknown };
  errorType?: string;
  error?: string;
  warnings?: string[];
}

type VectorResult = { metric: Record<string, string>; value: [number, string] }[];
type MatrixResult = { metric: Record<string, string>; values: [number, string][] }[];

/** The Prometheus HTTP API as served by Prometheus, Thanos, Mimir, Cortex and VictoriaMetrics. */
export class PrometheusClient {
  readonly url: string;
  /** Queries sent (instant and range), for budgets such as "one instant query per SLI and window". */
  readonly counts = { instant: 0, range: 0, metadata: 0 };
  private readonly headers: Record<string, string>;

  constructor(private readonly options: PrometheusClientOptions) {
    const split = splitCredentials(options.url);
    this.url = split.url.replace(/\/+$/, '');
    this.headers = authHeaders({
      username: options.username ?? split.username,
      password: options.password ?? split.password,
      bearerToken: options.bearerToken,
      headers: options.headers,
    });
  }

  /** The URL as it may be printed. */
  get displayUrl(): string {
    return redactUrl(this.url);
  }

  /** An instant query; a scalar result comes back as one sample without labels. */
  async instant(query: string, time?: Date): Promise<Sample[]> {
    this.counts.instant++;
    const params: Record<string, string> = { query };
    if (time) params.time = String(time.getTime() / 1000);
    const data = await this.call('query', params, query);
    if (data.resultType === 'scalar') {
      const [, value] = data.result as [number, string];
      return [{ labels: {}, value: parseValue(value) }];
    }
    if (data.resultType !== 'vector') throw this.unexpected(query, `a ${data.resultType} result`);
    return (data.result as VectorResult).map(({ metric, value }) => ({
      labels: metric,
      value: parseValue(value[1]),
    }));
  }

  async range(query: string, start: Date, end: Date, stepSeconds: number): Promise<RangeSeries[]> {
    this.counts.range++;
    const data = await this.call(
      'query_range',
      {
        query,
        start: String(start.getTime() / 1000),
        end: String(end.getTime() / 1000),
        step: String(stepSeconds),
      },
      query,
    );
    if (data.resultType !== 'matrix') throw this.unexpected(query, `a ${data.resultType} result`);
    return (data.result as MatrixResult).map(({ metric, values }) => ({
      labels: metric,
      points: values.map(([time, value]) => [Number(time), parseValue(value)] as [number, number]),
    }));
  }

  /** Values of one label over the series matching a selector (`/api/v1/label/<name>/values`). */
  async labelValues(label: string, match: string, start?: Date, end?: Date): Promise<string[]> {
    this.counts.metadata++;
    const params: Record<string, string> = { 'match[]': match };
    if (start) params.start = String(start.getTime() / 1000);
    if (end) params.end = String(end.getTime() / 1000);
    const data = await this.call(`label/${encodeURIComponent(label)}/values`, params, match, 'GET');
    return data as unknown as string[];
  }

  private async call(
    endpoint: string,
    params: Record<string, string>,
    query: string,
    method: 'GET' | 'POST' = 'POST',
  ): Promise<NonNullable<ApiResponse['data']>> {
    const target = `${this.url}/api/v1/${endpoint}`;
    const body = new URLSearchParams(params).toString();
    let response: Response;
    let text: string;
    try {
      response = await fetchWithRetry(
        method === 'GET' ? `${target}?${body}` : target,
        {
          method,
          headers: {
            Accept: 'application/json',
            ...(method === 'POST' ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
            ...this.headers,
          },
          ...(method === 'POST' ? { body } : {}),
        },
        {
          timeoutMs: this.options.timeoutMs,
          attempts: this.options.attempts,
          minDelayMs: this.options.minDelayMs,
          onRetry: (error, attempt, delay) => this.options.onRetry?.(this.describe(error), attempt, delay),
        },
      );
      text = await response.text();
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      const attempts = this.options.attempts ?? 4;
      const kind = error instanceof RetryableHttpError ? 'http' : 'unreachable';
      throw new PrometheusError(
        `Prometheus at ${this.displayUrl} failed for query '${query}' after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${this.describe(error)}`,
        kind,
        this.displayUrl,
        query,
      );
    }
    let parsed: ApiResponse | undefined;
    try {
      parsed = JSON.parse(text) as ApiResponse;
    } catch {
      parsed = undefined;
    }
    if (parsed?.status === 'error') {
      const kind = parsed.errorType === 'bad_data' ? 'bad_data' : 'api';
      const what = kind === 'bad_data' ? 'rejected' : 'failed';
      throw new PrometheusError(
        `Prometheus at ${this.displayUrl} ${what} query '${query}': ${parsed.errorType}: ${parsed.error}`,
        kind,
        this.displayUrl,
        query,
      );
    }
    if (!response.ok || parsed?.status !== 'success' || parsed.data === undefined) {
      throw new PrometheusError(
        `Prometheus at ${this.displayUrl} answered ${response.status} ${response.statusText} for query '${query}'${text ? `: ${text.slice(0, 200)}` : ''}`,
        'http',
        this.displayUrl,
        query,
      );
    }
    return parsed.data;
  }

  private describe(error: unknown): string {
    // Compared by name: the DOMException fetch throws may come from another realm than this Error.
    if ((error as { name?: unknown } | null)?.name === 'TimeoutError') {
      return `no answer within ${this.options.timeoutMs ?? 30_000} ms`;
    }
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${errorMessage(error)}${cause}`;
  }

  private unexpected(query: string, what: string): PrometheusError {
    return new PrometheusError(
      `Prometheus at ${this.displayUrl} answered query '${query}' with ${what}`,
      'api',
      this.displayUrl,
      query,
    );
  }
}
