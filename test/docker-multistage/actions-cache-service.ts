// The Actions cache service (protocol v1, as @actions/cache speaks it and act's cache server answers it) on
// 127.0.0.1, keeping entries in memory: a lookup matches the keys in order, the first exactly and the others
// as prefixes (newest first), under the same version; reserve, upload chunks, commit and download.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

interface Entry {
  key: string;
  version: string;
  chunks: { start: number; data: Buffer }[];
  data?: Buffer;
  committedAt?: number;
}

export interface ActionsCacheService {
  /** ACTIONS_CACHE_URL for the step's environment. */
  url: string;
  /** Committed entries' keys, oldest first. */
  keys(): string[];
  stop(): Promise<void>;
}

export async function startActionsCacheService(): Promise<ActionsCacheService> {
  const entries: Entry[] = [];
  let committed = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const json = (status: number, value?: unknown) => {
        response.writeHead(status, value === undefined ? {} : { 'content-type': 'application/json' });
        response.end(value === undefined ? undefined : JSON.stringify(value));
      };
      const id = /^\/_apis\/artifactcache\/caches\/(\d+)$/.exec(url.pathname)?.[1];
      if (request.method === 'GET' && url.pathname === '/_apis/artifactcache/cache') {
        const version = url.searchParams.get('version');
        const keys = (url.searchParams.get('keys') ?? '').split(',');
        const done = entries
          .filter((e) => e.data && e.version === version)
          .sort((a, b) => b.committedAt! - a.committedAt!);
        for (const [i, key] of keys.entries()) {
          const match = done.find((e) => (i === 0 ? e.key === key : e.key.startsWith(key)));
          if (match) {
            const location = `http://127.0.0.1:${port()}/download/${entries.indexOf(match)}`;
            return json(200, { cacheKey: match.key, scope: 'refs/heads/main', archiveLocation: location });
          }
        }
        return json(204);
      }
      if (request.method === 'POST' && url.pathname === '/_apis/artifactcache/caches') {
        const { key, version } = JSON.parse(body.toString('utf8')) as { key: string; version: string };
        if (entries.some((e) => e.key === key && e.version === version))
          return json(409, { message: `cache entry ${key} exists` });
        entries.push({ key, version, chunks: [] });
        // Ids start at 1: the client takes 0 for none.
        return json(201, { cacheId: entries.length });
      }
      if (request.method === 'PATCH' && id !== undefined) {
        const start = Number(/bytes (\d+)-/.exec(request.headers['content-range'] ?? '')?.[1] ?? 0);
        entries[Number(id) - 1].chunks.push({ start, data: body });
        return json(204);
      }
      if (request.method === 'POST' && id !== undefined) {
        const entry = entries[Number(id) - 1];
        entry.data = Buffer.concat(entry.chunks.sort((a, b) => a.start - b.start).map((c) => c.data));
        entry.committedAt = ++committed;
        return json(204);
      }
      const download = /^\/download\/(\d+)$/.exec(url.pathname)?.[1];
      if (request.method === 'GET' && download !== undefined) {
        const data = entries[Number(download)].data!;
        response.writeHead(200, { 'content-length': String(data.length) });
        return response.end(data);
      }
      json(404, { message: `no route ${request.method} ${url.pathname}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = () => (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port()}/`,
    keys: () =>
      entries
        .filter((e) => e.data)
        .sort((a, b) => a.committedAt! - b.committedAt!)
        .map((e) => e.key),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
