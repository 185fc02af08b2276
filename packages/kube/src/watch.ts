import type { IncomingMessage } from 'node:http';
import { sleep } from '@gin-deploy/action';
import { withQuery, type KubeClient } from './client.js';
import { apiError, isTransient, KubeApiError, KubeConnectionError } from './errors.js';

export interface WatchEvent<T = unknown> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

export interface WatchQuery {
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/**
 * Streams the changes of a collection after `resourceVersion`, for at most `timeoutMs` (the server is told
 * too, so neither side holds the connection longer). Ends quietly when the time is up or `signal` aborts.
 *
 * Follows client-go's reflector (`tools/cache/reflector.go`): a watch the server closes, or whose connection
 * breaks or is refused (an API server restart), is opened again from the last resourceVersion seen, after
 * a capped, jittered backoff; 429 and 5xx answers are retried the same way. `410 Gone` (the version is
 * older than etcd keeps) is thrown as a KubeApiError with status 410: only a new list can continue.
 */
export async function* watch<T>(
  client: KubeClient,
  path: string,
  query: WatchQuery,
  timeoutMs: number,
  signal?: AbortSignal,
): AsyncGenerator<WatchEvent<T>> {
  const endAt = Date.now() + timeoutMs;
  let resourceVersion = query.resourceVersion;
  let failures = 0;
  while (!signal?.aborted && Date.now() < endAt) {
    const left = endAt - Date.now();
    const full = withQuery(path, {
      ...query,
      resourceVersion,
      watch: true,
      timeoutSeconds: Math.max(1, Math.ceil(left / 1000)),
      allowWatchBookmarks: true,
    });
    let response: IncomingMessage;
    try {
      response = await client.send('GET', full, { timeoutMs: left + 5000, signal });
    } catch (error) {
      if (signal?.aborted) return;
      if (!(error instanceof KubeConnectionError)) throw error;
      await backoff(client, error, failures++, endAt, signal);
      continue;
    }
    const status = response.statusCode ?? 0;
    if (status >= 300) {
      const error = apiError(client.server, 'GET', full, status, await collect(response));
      if (!isTransient(error, 'GET')) throw error;
      await backoff(client, error, failures++, endAt, signal);
      continue;
    }
    for await (const event of events<T>(response, endAt, signal)) {
      failures = 0;
      if (event.type === 'ERROR') throw statusError(client, full, event.object);
      const version = (event.object as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
      if (version) resourceVersion = version;
      if (event.type !== 'BOOKMARK') yield event;
    }
    // The stream ended early (the server closed it, or the connection broke): resume where it stopped.
    if (Date.now() < endAt && !signal?.aborted) await backoff(client, undefined, failures++, endAt, signal);
  }
}

/** The events of one watch response, until it ends, breaks, the time is up or `signal` aborts. */
async function* events<T>(
  response: IncomingMessage,
  endAt: number,
  signal?: AbortSignal,
): AsyncGenerator<WatchEvent<T>> {
  const stop = (): void => {
    response.destroy();
  };
  const timer = setTimeout(stop, Math.max(0, endAt - Date.now()));
  signal?.addEventListener('abort', stop, { once: true });
  let buffer = '';
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      buffer += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) yield JSON.parse(line) as WatchEvent<T>;
      }
    }
  } catch {
    // A broken connection, the time bound or the abort: the caller decides whether to open a new watch.
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stop);
    response.destroy();
  }
}

function statusError(client: KubeClient, path: string, object: unknown): KubeApiError {
  const status = object as { code?: number; message?: string; reason?: string };
  return apiError(client.server, 'GET', path, status.code ?? 500, JSON.stringify(status));
}

/** Jittered exponential backoff from 200 ms, capped at 4 s and at the watch's end; failures are reported. */
function backoff(
  client: KubeClient,
  error: Error | undefined,
  failures: number,
  endAt: number,
  signal?: AbortSignal,
): Promise<void> {
  const cap = Math.min(4000, 200 * 2 ** Math.min(failures, 5));
  const delay = Math.max(0, Math.min(Math.round(cap / 2 + (Math.random() * cap) / 2), endAt - Date.now()));
  if (error) client.reportRetry(`watch: ${error.message}`, failures + 1, delay);
  return sleep(delay, signal);
}

export interface WatchTarget {
  path: string;
  query: WatchQuery;
}

/**
 * Resolves with the first change on any of the targets, or undefined after `timeoutMs`: the rollout loop
 * re-reads the state on every change instead of polling on a fixed period.
 */
export async function nextChange(
  client: KubeClient,
  targets: WatchTarget[],
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<WatchEvent | undefined> {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  if (signal?.aborted) return undefined;
  signal?.addEventListener('abort', abort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const streams = targets.map(async (target): Promise<WatchEvent | undefined> => {
    try {
      for await (const event of watch(client, target.path, target.query, timeoutMs, controller.signal)) {
        return event;
      }
    } catch (error) {
      // 410 Gone: the resourceVersion is too old; the caller re-reads the state, as after any change.
      if (error instanceof KubeApiError && error.status === 410) return { type: 'ERROR', object: {} };
      throw error;
    }
    return undefined;
  });
  try {
    // The timer is not unref'd: while the watches wait out an API server restart it may be the only thing
    // keeping the process alive, and Node would otherwise exit (code 13) in the middle of the rollout.
    return await Promise.race([
      ...streams.map((stream) => stream.then((event) => event ?? new Promise<never>(() => undefined))),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), timeoutMs);
        controller.signal.addEventListener('abort', () => resolve(undefined), { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
    controller.abort();
    await Promise.allSettled(streams);
  }
}

function collect(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (text += chunk));
    response.on('end', () => resolve(text));
    response.on('error', () => resolve(text));
  });
}
