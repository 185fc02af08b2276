import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import net from 'node:net';
import { networkError } from './network.js';

async function fetchError(url: string, timeoutMs = 2000): Promise<unknown> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    return error;
  }
  throw new Error(`${url} answered`);
}

let resetting: net.Server;
const held: net.Socket[] = [];
let silent: net.Server;
const port = (server: net.Server) => (server.address() as net.AddressInfo).port;

beforeAll(async () => {
  resetting = net.createServer((socket) => socket.on('data', () => socket.resetAndDestroy()));
  silent = net.createServer((socket) => held.push(socket));
  await Promise.all([resetting, silent].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
});
afterAll(() => {
  for (const socket of held) socket.destroy();
  resetting.close();
  silent.close();
});

describe('networkError', () => {
  it('names method, host:port, path and a refused connection', async () => {
    const url = 'http://127.0.0.1:1/v2/acme/api/blobs/uploads/?digest=x';
    // Port 1 is also a "bad port"; a free high port shows the refusal.
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const free = port(server);
    await new Promise((r) => server.close(r));
    const refused = `http://127.0.0.1:${free}/v2/`;
    expect(networkError(await fetchError(refused), 'get', refused).message).toBe(
      `GET 127.0.0.1:${free} /v2/: connection refused: nothing listens there (ECONNREFUSED)`,
    );
    expect(networkError(await fetchError(url), 'PUT', url).message).toBe(
      'PUT 127.0.0.1:1 /v2/acme/api/blobs/uploads/: port 1 is on the list of ports fetch refuses to connect to (WHATWG Fetch "bad port"); serve it on another port',
    );
  });

  it('tells a reset, DNS and a timeout apart, and spells out default ports', async () => {
    const reset = `http://127.0.0.1:${port(resetting)}/x`;
    expect(networkError(await fetchError(reset), 'GET', reset).reason).toBe(
      'connection reset by the server (ECONNRESET)',
    );
    const dns = 'https://no-such-host.invalid/api';
    const described = networkError(await fetchError(dns), 'GET', dns);
    expect(described.target).toBe('no-such-host.invalid:443');
    expect(described.reason).toMatch(/^DNS lookup of no-such-host.invalid failed/);
    const slow = `http://127.0.0.1:${port(silent)}/t`;
    expect(networkError(await fetchError(slow, 200), 'GET', slow, 200).reason).toBe(
      'no answer within 200 ms',
    );
  });

  it('describes TLS failures by their code', () => {
    const error = new TypeError('fetch failed', {
      cause: Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
    });
    expect(networkError(error, 'GET', 'https://registry.example/v2/').message).toBe(
      'GET registry.example:443 /v2/: TLS failed: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)',
    );
  });
});
