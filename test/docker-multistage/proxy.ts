// A small HTTP proxy in front of the real test registry: it injects 5xx answers, connection resets or delays into
// chosen requests and can put Bearer-token authentication (the WWW-Authenticate realm/service/scope flow) in front of
// the registry.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultRule {
  /** e.g. 'PUT' */
  method: string;
  /** Matched against the request path. */
  path: RegExp;
  /** How many matching requests fail; Infinity for all. */
  times: number;
  status?: number;
  /** Reset the connection (TCP RST) instead of answering. */
  reset?: boolean;
  /** Only requests whose body contains this text (e.g. an artifact manifest's artifactType). */
  bodyIncludes?: string;
  /** Instead of failing: pass the request on after this many ms (a slow registry), calling onHold first. */
  holdMs?: number;
  onHold?: () => void;
}

export interface BearerAuth {
  username: string;
  password: string;
}

export class RegistryProxy {
  readonly injected: string[] = [];
  readonly tokenRequests: string[] = [];
  private rules: FaultRule[] = [];
  private server?: http.Server;
  host = '';

  constructor(
    private readonly upstream: string,
    private readonly bearer?: BearerAuth,
  ) {}

  fail(rule: FaultRule): void {
    this.rules.push({ ...rule });
  }

  /** Drops the rules and the record of injected failures. */
  clear(): void {
    this.rules = [];
    this.injected.length = 0;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.host = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => this.answer(req, Buffer.concat(chunks), res));
  }

  private answer(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', `http://${this.host}`);
    if (this.bearer && url.pathname === '/token') return this.token(req, url, res);
    if (this.bearer && req.headers.authorization !== `Bearer ${this.expectedToken()}`) {
      res.writeHead(401, {
        'www-authenticate': `Bearer realm="http://${this.host}/token",service="test-proxy",scope="repository:${url.pathname.split('/').slice(2, 4).join('/')}:pull,push"`,
        'content-type': 'application/json',
      });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      return;
    }
    const rule = this.rules.find(
      (r) =>
        r.times > 0 &&
        r.method === req.method &&
        r.path.test(url.pathname) &&
        (r.bodyIncludes === undefined || body.includes(r.bodyIncludes)),
    );
    if (rule) {
      rule.times--;
      this.injected.push(`${req.method} ${url.pathname}`);
      if (rule.holdMs !== undefined) {
        rule.onHold?.();
        setTimeout(() => this.forward(req, body, res), rule.holdMs);
        return;
      }
      if (rule.reset) {
        req.socket.resetAndDestroy();
        return;
      }
      res.writeHead(rule.status ?? 503, { 'content-type': 'text/plain' });
      res.end('injected failure');
      return;
    }
    this.forward(req, body, res);
  }

  private forward(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void {
    const headers = { ...req.headers };
    delete headers.authorization;
    const upstream = http.request(`${this.upstream}${req.url}`, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    upstream.end(body);
  }

  private expectedToken(): string {
    return Buffer.from(`token-for-${this.bearer!.username}`).toString('base64url');
  }

  private token(req: http.IncomingMessage, url: URL, res: http.ServerResponse): void {
    this.tokenRequests.push(
      `service=${url.searchParams.get('service')} scope=${url.searchParams.getAll('scope').join(' ')}`,
    );
    const expected = `Basic ${Buffer.from(`${this.bearer!.username}:${this.bearer!.password}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token: this.expectedToken(), expires_in: 300 }));
  }
}
