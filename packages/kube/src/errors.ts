/** An answer of the API server other than 2xx, with what was asked so the message can say so. */
export class KubeApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly reason: string | undefined,
    readonly verb: string,
    readonly resource: string,
    readonly server: string,
    /** The server's Retry-After (429, 503), in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

/** The API server could not be reached at all (DNS, refused, TLS, timeout), or the connection broke. */
export class KubeConnectionError extends Error {
  constructor(
    message: string,
    readonly server: string,
    /** The socket's error code: ECONNREFUSED, ECONNRESET, ETIMEDOUT… */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'KubeConnectionError';
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof KubeApiError && error.status === 404;
}

export function isConflict(error: unknown): boolean {
  return error instanceof KubeApiError && error.status === 409;
}

/**
 * Whether a failed request may succeed when sent again, as client-go's `rest/with_retry.go` and
 * `util/retry` judge it: a refused connection never reached the server, so any verb is safe to resend; a
 * broken connection or a timeout may have been processed, so only requests that do the same when repeated
 * are resent (everything but POST); 429 and 5xx (an apiserver starting up, an etcd leader change, a
 * timeout of its own) are the server asking to come back, except a 500/504 to a POST, which may have
 * created the object.
 */
export function isTransient(error: unknown, method: string): boolean {
  const idempotent = method !== 'POST';
  if (error instanceof KubeConnectionError) return error.code === 'ECONNREFUSED' || idempotent;
  if (error instanceof KubeApiError) {
    if (error.status === 429 || error.status === 503) return true;
    return error.status >= 500 && idempotent;
  }
  return false;
}

interface StatusBody {
  kind?: string;
  message?: string;
  reason?: string;
}

/** Kubernetes' verb for an HTTP request, as RBAC and `kubectl auth can-i` name it. */
export function verbOf(method: string, path: string): string {
  const url = new URL(path, 'http://x');
  switch (method) {
    case 'GET':
      if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1') return 'watch';
      return describePath(url.pathname).name ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return describePath(url.pathname).name ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

/** `deployments.apps` (and the object name and namespace) from an API path. */
export function describePath(pathname: string): { resource: string; name?: string; namespace?: string } {
  const parts = pathname.split('/').filter(Boolean);
  let rest: string[];
  let group = '';
  if (parts[0] === 'api') rest = parts.slice(2);
  else if (parts[0] === 'apis') {
    group = parts[1] ?? '';
    rest = parts.slice(3);
  } else return { resource: pathname };
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const plural = rest[0] ?? '';
  const resource = group ? `${plural}.${group}` : plural;
  if (rest[0] === 'namespaces' && rest.length <= 2) return { resource: 'namespaces', name: rest[1] };
  return { resource: rest[2] ? `${resource}/${rest[2]}` : resource, name: rest[1], namespace };
}

export function apiError(
  server: string,
  method: string,
  path: string,
  status: number,
  body: string,
  retryAfterMs?: number,
): KubeApiError {
  let parsed: StatusBody = {};
  try {
    parsed = JSON.parse(body) as StatusBody;
  } catch {
    parsed = { message: body.trim().slice(0, 300) };
  }
  const verb = verbOf(method, path);
  const target = describePath(new URL(path, 'http://x').pathname);
  const what = `${target.resource}${target.name ? ` '${target.name}'` : ''}${target.namespace ? ` in namespace '${target.namespace}'` : ''}`;
  const detail = parsed.message || `HTTP ${status}`;
  const message =
    status === 403
      ? `the Kubernetes API server at ${server} denied '${verb}' on ${what} (missing RBAC permission: verb '${verb}', resource '${target.resource}'): ${detail}`
      : status === 401
        ? `the Kubernetes API server at ${server} rejected the credentials (401 Unauthorized) for '${verb}' on ${what}: ${detail}`
        : `${verb} ${what} on ${server} failed (${status}${parsed.reason ? ` ${parsed.reason}` : ''}): ${detail}`;
  return new KubeApiError(message, status, parsed.reason, verb, target.resource, server, retryAfterMs);
}
