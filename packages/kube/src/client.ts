import http from 'node:http';
import https from 'node:https';
import { parseRetryAfter, retry } from '@gin-deploy/action';
import { apiError, isTransient, KubeConnectionError } from './errors.js';
import type { Connection } from './kubeconfig.js';

export const FIELD_MANAGER = 'gin-deploy';

/** How long requests retry before the API server ever answered (a wrong address should fail soon). */
const FIRST_CONTACT_RETRY_MS = 20_000;

export interface RequestOptions {
  body?: unknown;
  contentType?: string;
  query?: Record<string, string | number | boolean | undefined>;
  timeoutMs?: number;
  /** Aborts the request, also while it waits for the answer's headers. */
  signal?: AbortSignal;
}

export interface ClientOptions {
  /**
   * How long one request keeps retrying a transient failure (refused or broken connections, timeouts, 429,
   * 5xx) before its last error is thrown, in ms; 0 sends each request once. Default 0.
   */
  retryForMs?: number;
  /** Told about each retry, e.g. to log that the API server is away. */
  onRetry?: (message: string, attempt: number, delayMs: number) => void;
}

/** A thin Kubernetes REST client over node:https: JSON in and out, errors that name the server and the verb. */
export class KubeClient {
  private readonly agent: http.Agent;
  private readonly base: URL;
  private retryForMs: number;
  private readonly onRetry?: ClientOptions['onRetry'];
  /** When the current run of transient failures began: one outage gets one retry budget, not one per request. */
  private failingSince?: number;
  /** Whether any request got an answer: a server never reached is more likely misconfigured than restarting. */
  private reached = false;

  constructor(
    readonly connection: Connection,
    options: ClientOptions = {},
  ) {
    this.retryForMs = options.retryForMs ?? 0;
    this.onRetry = options.onRetry;
    this.base = new URL(connection.server);
    const tls = this.base.protocol === 'https:';
    this.agent = tls
      ? new https.Agent({
          keepAlive: true,
          ca: connection.ca,
          cert: connection.cert,
          key: connection.key,
          rejectUnauthorized: !connection.insecureSkipTlsVerify,
          servername: connection.tlsServerName,
        })
      : new http.Agent({ keepAlive: true });
  }

  get server(): string {
    return this.connection.server;
  }

  close(): void {
    this.agent.destroy();
  }

  /** Tells the onRetry listener about a retry made outside request(), e.g. a watch opened again. */
  reportRetry(message: string, attempt: number, delayMs: number): void {
    this.onRetry?.(message, attempt, delayMs);
  }

  /** Shortens (never lengthens) how long requests from now on retry, e.g. to clean up after a cancel. */
  limitRetries(ms: number): void {
    this.retryForMs = Math.min(this.retryForMs, ms);
    if (this.failingSince !== undefined) this.failingSince = Date.now();
  }

  /**
   * One request, retried with capped, jittered backoff (honouring Retry-After) while the failure is
   * transient, until the API server has failed for `retryForMs` in a row (across all requests).
   */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const result = await retry(() => this.requestOnce<T>(method, path, options), {
      deadline: (this.failingSince ?? Date.now()) + this.budget(),
      minDelayMs: 200,
      maxDelayMs: 4000,
      isRetryable: (error) => {
        if (!isTransient(error, method)) this.failingSince = undefined;
        if (!isTransient(error, method) || options.signal?.aborted) return false;
        this.failingSince ??= Date.now();
        return Date.now() < this.failingSince + this.budget();
      },
      onRetry: (error, attempt, delayMs) => this.onRetry?.((error as Error).message, attempt, delayMs),
    });
    this.failingSince = undefined;
    this.reached = true;
    return result;
  }

  private budget(): number {
    return this.reached ? this.retryForMs : Math.min(this.retryForMs, FIRST_CONTACT_RETRY_MS);
  }

  private async requestOnce<T>(method: string, path: string, options: RequestOptions): Promise<T> {
    const full = withQuery(path, options.query);
    const response = await this.send(method, full, options);
    const text = await readBody(response).catch((error: NodeJS.ErrnoException) => {
      throw this.connectionError(method, full, error);
    });
    const status = response.statusCode ?? 0;
    if (status >= 300) {
      const retryAfter = parseRetryAfter(headerOf(response, 'retry-after') ?? null);
      throw apiError(this.server, method, full, status, text, retryAfter);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get<T>(path: string, query?: RequestOptions['query']): Promise<T> {
    return this.request<T>('GET', path, { query });
  }

  /**
   * Server-side apply: create or update, owning the fields in `object` under the gin-deploy field manager.
   * With `dryRun` the server validates and admits it (every admission plugin and webhook) but stores nothing.
   */
  apply<T>(path: string, object: unknown, options: { dryRun?: boolean } = {}): Promise<T> {
    return this.request<T>('PATCH', path, {
      body: object,
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: FIELD_MANAGER, force: true, dryRun: options.dryRun ? 'All' : undefined },
    });
  }

  mergePatch<T>(path: string, patch: unknown): Promise<T> {
    return this.request<T>('PATCH', path, {
      body: patch,
      contentType: 'application/merge-patch+json',
      query: { fieldManager: FIELD_MANAGER },
    });
  }

  jsonPatch<T>(path: string, operations: unknown[]): Promise<T> {
    return this.request<T>('PATCH', path, {
      body: operations,
      contentType: 'application/json-patch+json',
      query: { fieldManager: FIELD_MANAGER },
    });
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  /** Starts a request and resolves with the response as soon as the headers arrive (watches stream after). */
  send(method: string, path: string, options: RequestOptions = {}): Promise<http.IncomingMessage> {
    const url = new URL(path, this.base);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'gin-deploy' };
    if (body !== undefined) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const { token, username, password } = this.connection;
    if (token) headers.Authorization = `Bearer ${token}`;
    else if (username && password)
      headers.Authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = transport.request(
        url,
        { method, headers, agent: this.agent, signal: options.signal },
        resolve,
      );
      const timeoutMs = options.timeoutMs ?? 30_000;
      request.setTimeout(timeoutMs, () =>
        request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })),
      );
      request.on('error', (error: NodeJS.ErrnoException) =>
        reject(this.connectionError(method, path, error)),
      );
      request.end(body);
    });
  }

  private connectionError(method: string, path: string, error: NodeJS.ErrnoException): KubeConnectionError {
    const pathname = new URL(path, this.base).pathname;
    return new KubeConnectionError(
      `cannot reach the Kubernetes API server at ${this.server} (${method} ${pathname}): ${error.code ?? ''} ${error.message}`.replace(
        /\s+/g,
        ' ',
      ),
      this.server,
      error.code ?? (error.message === 'aborted' ? 'ECONNRESET' : undefined),
    );
  }
}

function headerOf(response: http.IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function withQuery(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  if (!text) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${text}`;
}

function readBody(response: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
}
