import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchWithRetry, parseRetryAfter, redactUrl, retry } from './retry.js';

describe('retry', () => {
  it('retries until success', async () => {
    let calls = 0;
    const value = await retry(
      async () => {
        calls++;
        if (calls < 3) throw new Error('flaky');
        return 'ok';
      },
      { minDelayMs: 1, maxDelayMs: 2 },
    );
    expect([value, calls]).toEqual(['ok', 3]);
  });

  it('gives up after the last attempt with the last error', async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new Error(`failure ${calls}`);
        },
        { attempts: 3, minDelayMs: 1 },
      ),
    ).rejects.toThrow('failure 3');
  });

  it('stops at once on a non-retryable error', async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new Error('bad request');
        },
        { isRetryable: () => false },
      ),
    ).rejects.toThrow('bad request');
    expect(calls).toBe(1);
  });

  it('retries without an attempt limit until the deadline, then throws the last error', async () => {
    let calls = 0;
    const started = Date.now();
    await expect(
      retry(
        async () => {
          calls++;
          throw new Error(`down ${calls}`);
        },
        { deadline: started + 150, minDelayMs: 10, maxDelayMs: 20 },
      ),
    ).rejects.toThrow(/^down \d+$/);
    // No retry starts that would wait past the deadline (generous bounds: the machine may be busy).
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('waits as long as the error says (retryAfterMs)', async () => {
    const delays: number[] = [];
    let calls = 0;
    await retry(
      async () => {
        if (calls++ === 0) throw Object.assign(new Error('busy'), { retryAfterMs: 30 });
      },
      { minDelayMs: 1000, onRetry: (_error, _attempt, delay) => delays.push(delay) },
    );
    expect(delays).toEqual([30]);
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter(new Date(Date.now() + 60_000).toUTCString())).toBeGreaterThan(50_000);
  });

  it('redacts credentials in URLs', () => {
    expect(redactUrl('https://user:pw@prom.example/api')).toBe('https://***@prom.example/api');
  });
});

describe('fetchWithRetry against a local server', () => {
  let server: http.Server;
  let base: string;
  let hits = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits++;
      if (req.url === '/flaky' && hits % 3 !== 0) {
        res.writeHead(503, { 'retry-after': '0' }).end('busy');
      } else if (req.url === '/missing') {
        res.writeHead(404).end('nope');
      } else if (req.url === '/always-500') {
        res.writeHead(500).end('boom');
      } else {
        res.writeHead(200).end('fine');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('retries 503 and returns the eventual 200', async () => {
    hits = 0;
    const response = await fetchWithRetry(`${base}/flaky`, {}, { minDelayMs: 1 });
    expect([response.status, await response.text(), hits]).toEqual([200, 'fine', 3]);
  });

  it('returns a 4xx at once for the caller to judge', async () => {
    hits = 0;
    const response = await fetchWithRetry(`${base}/missing`);
    expect([response.status, hits]).toEqual([404, 1]);
  });

  it('fails with the status and body after the last attempt', async () => {
    await expect(fetchWithRetry(`${base}/always-500`, {}, { attempts: 2, minDelayMs: 1 })).rejects.toThrow(
      `GET ${base}/always-500 answered 500 Internal Server Error: boom`,
    );
  });
});
