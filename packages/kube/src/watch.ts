import type { IncomingMessage } from 'node:http';
import { withQuery, type KubeClient } from './client.js';
import { apiError, KubeApiError } from './errors.js';

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
 * too, so neither side holds the connection longer). Ends quietly when the time is up or the server closes.
 */
export async function* watch<T>(
  client: KubeClient,
  path: string,
  query: WatchQuery,
  timeoutMs: number,
  signal?: AbortSignal,
): AsyncGenerator<WatchEvent<T>> {
  const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  const full = withQuery(path, {
    ...query,
    watch: true,
    timeoutSeconds: seconds,
    allowWatchBookmarks: false,
  });
  if (signal?.aborted) return;
  let response: IncomingMessage;
  try {
    response = await client.send('GET', full, { timeoutMs: timeoutMs + 5000, signal });
  } catch (error) {
    if (signal?.aborted) return;
    throw error;
  }
  if (signal?.aborted) {
    response.destroy();
    return;
  }
  if ((response.statusCode ?? 0) >= 300) {
    const body = await collect(response);
    throw apiError(client.server, 'GET', full, response.statusCode ?? 0, body);
  }
  const stop = (): void => {
    response.destroy();
  };
  const timer = setTimeout(stop, timeoutMs);
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
  } catch (error) {
    // A destroyed stream is how the time bound or the abort ends the watch.
    if (!response.destroyed) throw error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stop);
    response.destroy();
  }
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
): Promise<WatchEvent | undefined> {
  const controller = new AbortController();
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
    const first = await Promise.race([
      ...streams.map((stream) => stream.then((event) => event ?? new Promise<never>(() => undefined))),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), timeoutMs).unref()),
    ]);
    return first;
  } finally {
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
