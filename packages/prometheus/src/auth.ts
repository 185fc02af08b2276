export interface PrometheusAuth {
  username?: string;
  password?: string;
  bearerToken?: string;
  /** Extra headers, e.g. `X-Scope-OrgID` for Mimir and Cortex tenants. */
  headers?: Record<string, string>;
}

/** The request headers for basic, bearer or custom-header authentication (custom headers win). */
export function authHeaders(auth: PrometheusAuth): Record<string, string> {
  const headers: Record<string, string> = {};
  if (auth.username !== undefined || auth.password !== undefined) {
    const pair = `${auth.username ?? ''}:${auth.password ?? ''}`;
    headers.Authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  }
  if (auth.bearerToken !== undefined) headers.Authorization = `Bearer ${auth.bearerToken}`;
  return { ...headers, ...auth.headers };
}

/** The values that must never reach a log: the credentials and the encoded header built from them. */
export function secretsOf(auth: PrometheusAuth): string[] {
  const built = authHeaders({ ...auth, headers: undefined }).Authorization;
  return [
    auth.password,
    auth.bearerToken,
    built,
    built?.split(' ')[1],
    ...Object.values(auth.headers ?? {}),
  ].filter((value): value is string => Boolean(value));
}

/**
 * Splits `https://user:pass@host/prefix` into a URL without credentials and the basic-auth pair, because
 * fetch() refuses URLs that carry credentials.
 */
export function splitCredentials(url: string): { url: string; username?: string; password?: string } {
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return { url };
  const username = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString(), username, password };
}
