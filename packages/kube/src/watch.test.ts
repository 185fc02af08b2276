import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeClient } from './client.js';
import { KubeApiError } from './errors.js';
import { watch } from './watch.js';

/** An API server stand-in: each watch request is answered by the next scripted behaviour. */
describe('watch against a server that drops connections', () => {
  let server: http.Server;
  let client: KubeClient;
  const requests: URLSearchParams[] = [];
  let script: ((res: http.ServerResponse) => void)[] = [];
  const event = (type: string, version: string) =>
    JSON.stringify({ type, object: { metadata: { name: 'p', resourceVersion: version } } }) + '\n';

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests.push(new URL(req.url ?? '/', 'http://x').searchParams);
      const next = script.shift();
      if (next) next(res);
      else res.writeHead(200).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    client = new KubeClient({ server: `http://127.0.0.1:${port}`, source: 'test' });
  });
  afterAll(async () => {
    client.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('resumes from the last resourceVersion after the connection breaks or the server answers 503', async () => {
    requests.length = 0;
    script = [
      (res) => {
        res.writeHead(200);
        res.write(event('MODIFIED', '11'));
        setTimeout(() => res.socket?.destroy(), 20);
      },
      (res) => res.writeHead(503, { 'retry-after': '0' }).end('{"kind":"Status","code":503}'),
      (res) => {
        res.writeHead(200);
        res.write(event('BOOKMARK', '15'));
        res.end(event('ADDED', '17'));
      },
    ];
    const seen: string[] = [];
    for await (const change of watch<{ metadata: { resourceVersion: string } }>(
      client,
      '/api/v1/namespaces/a/pods',
      { resourceVersion: '10' },
      5000,
    )) {
      seen.push(`${change.type} ${change.object.metadata.resourceVersion}`);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(['MODIFIED 11', 'ADDED 17']);
    expect(requests.map((query) => query.get('resourceVersion'))).toEqual(['10', '11', '11']);
  });

  it('throws 410 Gone for the caller to list again', async () => {
    script = [
      (res) => {
        res.writeHead(200);
        res.end(
          JSON.stringify({
            type: 'ERROR',
            object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' },
          }) + '\n',
        );
      },
    ];
    const changes = watch(client, '/api/v1/namespaces/a/pods', { resourceVersion: '1' }, 5000);
    const error = await changes.next().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).status).toBe(410);
  });
});
