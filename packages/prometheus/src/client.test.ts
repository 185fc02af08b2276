import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { PrometheusClient } from './client.js';
import { PrometheusError } from './errors.js';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;
let handler: Handler;
let server: Server;
let url: string;
const requests: { path: string; body: string; auth?: string }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      requests.push({ path: request.url ?? '', body, auth: request.headers.authorization });
      handler(request, body, response);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/prefix/`;
});

afterAll(() => {
  server.close();
});

const json = (response: ServerResponse, status: number, value: unknown) =>
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));

describe('PrometheusClient (against a stub of the HTTP API)', () => {
  it('posts instant queries under the path prefix and reads vectors and scalars', async () => {
    requests.length = 0;
    handler = (_request, body, response) =>
      json(response, 200, {
        status: 'success',
        data: body.includes('scalar')
          ? { resultType: 'scalar', result: [1, '2.5'] }
          : { resultType: 'vector', result: [{ metric: { a: 'b' }, value: [1, 'NaN'] }] },
      });
    const client = new PrometheusClient({ url, bearerToken: 't' });
    const time = new Date('2026-01-01T00:00:30Z');
    expect(await client.instant('up', time)).toEqual([{ labels: { a: 'b' }, value: NaN }]);
    expect(await client.instant('scalar(1)')).toEqual([{ labels: {}, value: 2.5 }]);
    expect(requests[0]).toEqual({
      path: '/prefix/api/v1/query',
      body: 'query=up&time=1767225630',
      auth: 'Bearer t',
    });
    expect(client.counts).toEqual({ instant: 2, range: 0, metadata: 0 });
  });

  it('retries 5xx with backoff and then succeeds', async () => {
    let calls = 0;
    handler = (_request, _body, response) =>
      ++calls < 3
        ? response.writeHead(503).end('overloaded')
        : json(response, 200, {
            status: 'success',
            data: { resultType: 'matrix', result: [{ metric: {}, values: [[60, '1']] }] },
          });
    const retries: number[] = [];
    const client = new PrometheusClient({
      url,
      minDelayMs: 1,
      onRetry: (_message, attempt) => retries.push(attempt),
    });
    expect(await client.range('up', new Date(0), new Date(60_000), 60)).toEqual([
      { labels: {}, points: [[60, 1]] },
    ]);
    expect(retries).toEqual([1, 2]);
  });

  it('names the URL and the query in every kind of failure', async () => {
    const client = new PrometheusClient({ url, minDelayMs: 1, attempts: 2 });
    const failure = async (respond: Handler) => {
      handler = respond;
      return client.instant('rate(x[5m])').then(
        () => undefined,
        (error: PrometheusError) => error,
      );
    };
    const badData = await failure((_q, _b, response) =>
      json(response, 400, { status: 'error', errorType: 'bad_data', error: '1:6: parse error: unexpected' }),
    );
    expect(badData).toBeInstanceOf(PrometheusError);
    expect(badData?.message).toBe(
      `Prometheus at ${url.replace(/\/$/, '')} rejected query 'rate(x[5m])': bad_data: 1:6: parse error: unexpected`,
    );
    expect(badData?.isQueryError).toBe(true);
    const execution = await failure((_q, _b, response) =>
      json(response, 422, { status: 'error', errorType: 'execution', error: 'too many samples' }),
    );
    expect([execution?.kind, execution?.isQueryError]).toEqual(['api', false]);
    const down = await failure((_q, _b, response) =>
      response.writeHead(502, 'Bad Gateway').end('upstream down'),
    );
    expect(down?.kind).toBe('http');
    expect(down?.message).toMatch(
      /^Prometheus at http:\/\/127\.0\.0\.1:\d+\/prefix failed for query 'rate\(x\[5m\]\)' after 2 attempts: .*502/,
    );
    const unauthorized = await failure((_q, _b, response) =>
      response.writeHead(401, 'Unauthorized').end('no'),
    );
    expect(unauthorized?.message).toContain("answered 401 Unauthorized for query 'rate(x[5m])': no");
    const slow = new PrometheusClient({ url, minDelayMs: 1, attempts: 1, timeoutMs: 100 });
    handler = (_q, _b, response) => setTimeout(() => json(response, 200, {}), 1000);
    await expect(slow.instant('up')).rejects.toThrow(
      /failed for query 'up' after 1 attempt: POST 127\.0\.0\.1:\d+ \/prefix\/api\/v1\/query: no answer within 100 ms/,
    );
  });
});
