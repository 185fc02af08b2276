import http from 'node:http';
import https from 'node:https';
import { apiError, KubeConnectionError } from './errors.js';
import type { Connection } from './kubeconfig.js';

export const FIELD_MANAGER = 'gin-deploy';

export interface RequestOptions {
  body?: unknown;
  contentType?: string;
  query?: Record<string, string | number | boolean | undefined>;
  timeoutMs?: number;
  /** Aborts the request, also while it waits for the answer's headers. */
  signal?: AbortSignal;
}

/** A thin Kubernetes REST client over node:https: JSON in and out, errors that name the server and the verb. */
export class KubeClient {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(readonly connection: Connection) {
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

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, withQuery(path, options.query), options);
    const text = await readBody(response);
    if ((response.statusCode ?? 0) >= 300) {
      throw apiError(this.server, method, withQuery(path, options.query), response.statusCode ?? 0, text);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get<T>(path: string, query?: RequestOptions['query']): Promise<T> {
    return this.request<T>('GET', path, { query });
  }

  /** Server-side apply: create or update, owning the fields in `object` under the gin-deploy field manager. */
  apply<T>(path: string, object: unknown): Promise<T> {
    return this.request<T>('PATCH', path, {
      body: object,
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: FIELD_MANAGER, force: true },
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
        reject(
          new KubeConnectionError(
            `cannot reach the Kubernetes API server at ${this.server} (${method} ${url.pathname}): ${error.code ?? ''} ${error.message}`.replace(
              /\s+/g,
              ' ',
            ),
            this.server,
          ),
        ),
      );
      request.end(body);
    });
  }
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
