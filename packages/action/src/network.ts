/**
 * A request that got no HTTP answer, described by where it went and why it failed. `message` reads
 * `GET 127.0.0.1:5000 /v2/acme/api/blobs/…: connection reset by the server (ECONNRESET)`.
 */
export class NetworkError extends Error {
  constructor(
    readonly method: string,
    /** `host:port`, the port spelled out even when it is the scheme's default. */
    readonly target: string,
    readonly path: string,
    readonly reason: string,
    /** What fetch (undici) or the HTTP client threw. */
    readonly original: unknown,
  ) {
    super(`${method} ${target} ${path}: ${reason}`);
    this.name = 'NetworkError';
  }
}

/**
 * Describes an error thrown by fetch() or an HTTP client built on it: it walks the `cause` chain (undici puts
 * the socket error there under a bare `fetch failed`) and names refused, reset, DNS, TLS, timeout and the
 * ports fetch will not connect to (the WHATWG Fetch "bad port" list).
 */
export function networkError(
  error: unknown,
  method: string,
  url: string | URL,
  timeoutMs?: number,
): NetworkError {
  const parsed = new URL(String(url));
  const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
  return new NetworkError(
    method.toUpperCase(),
    `${parsed.hostname}:${port}`,
    parsed.pathname,
    networkReason(error, parsed.hostname, port, timeoutMs),
    error,
  );
}

interface Cause {
  name?: string;
  code?: unknown;
  message?: string;
  cause?: unknown;
}

export function networkReason(error: unknown, host: string, port: string, timeoutMs?: number): string {
  const chain: Cause[] = [];
  for (let at: unknown = error; at && typeof at === 'object' && chain.length < 8; at = (at as Cause).cause)
    chain.push(at as Cause);
  const codes = chain.map((c) => (typeof c.code === 'string' ? c.code : '')).filter(Boolean);
  const code = codes.at(-1) ?? '';
  const innermost = chain.at(-1)?.message ?? String(error);
  if (chain.some((c) => c.name === 'TimeoutError'))
    return `no answer within ${timeoutMs !== undefined ? `${timeoutMs} ms` : 'the timeout'}`;
  if (chain.some((c) => c.message === 'bad port'))
    return `port ${port} is on the list of ports fetch refuses to connect to (WHATWG Fetch "bad port"); serve it on another port`;
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused: nothing listens there',
    ECONNRESET: 'connection reset by the server',
    UND_ERR_SOCKET: 'the server closed the connection',
    EPIPE: 'the server closed the connection',
    ENOTFOUND: `DNS lookup of ${host} failed: no such host`,
    EAI_AGAIN: `DNS lookup of ${host} failed: temporary failure`,
    ETIMEDOUT: 'the connection timed out',
    UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
    EHOSTUNREACH: `host ${host} is unreachable`,
    ENETUNREACH: 'the network is unreachable',
  };
  if (known[code]) return `${known[code]} (${code})`;
  if (/^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/.test(code) || code === 'EPROTO')
    return `TLS failed: ${innermost} (${code})`;
  return code ? `${innermost} (${code})` : innermost;
}
