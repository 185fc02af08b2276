import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { runBundledAction } from '../support/action.js';
import { freePort } from '../support/ports.js';
import { startPrometheus, type RunningPrometheus } from '../support/prometheus.js';
import { counter, MINUTE, queryTime, toSeries } from './history.js';

const SPAN = 4 * 60 * MINUTE;
let prometheus: RunningPrometheus;
let proxy: Server;
let proxyUrl: string;
const seen: IncomingHttpHeaders[] = [];
const workspace = mkdtempSync(path.join(os.tmpdir(), 'slo-inputs-'));

const SECRETS = {
  password: 'pa55-s3cret-word',
  token: 'tok-s3cret-bearer',
  tenant: 'tenant-s3cret-id',
  urlPassword: 'url-s3cret-pass',
};

/** A Mimir-like front: the API under /prometheus, behind basic or bearer auth and a tenant header. */
async function startProxy(target: string): Promise<void> {
  const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  const allowed = new Set([
    basic('gate', SECRETS.password),
    basic('gate', SECRETS.urlPassword),
    `Bearer ${SECRETS.token}`,
  ]);
  proxy = createServer(async (request, response) => {
    seen.push(request.headers);
    const body = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      request
        .on('data', (chunk: Buffer) => chunks.push(chunk))
        .on('end', () => resolve(Buffer.concat(chunks)));
    });
    if (
      !request.url?.startsWith('/prometheus/') ||
      !allowed.has(request.headers.authorization ?? '') ||
      request.headers['x-scope-orgid'] !== SECRETS.tenant
    ) {
      response.writeHead(401).end('unauthorized');
      return;
    }
    const upstream = await fetch(`${target}${request.url.slice('/prometheus'.length)}`, {
      method: request.method,
      headers: { 'content-type': request.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
      body: request.method === 'POST' ? body : undefined,
    });
    response.writeHead(upstream.status, { 'content-type': 'application/json' }).end(await upstream.text());
  });
  const port = await freePort();
  proxy.listen(port, '127.0.0.1');
  await once(proxy, 'listening');
  proxyUrl = `http://127.0.0.1:${port}/prometheus`;
}

beforeAll(async () => {
  prometheus = await startPrometheus(
    toSeries('http_requests_total', [
      counter({ service: 'api', code: '200' }, SPAN, 100_000, () => 99),
      counter({ service: 'api', code: '500' }, SPAN, 10_000, () => 1),
    ]),
  );
  await startProxy(prometheus.url);
}, 120_000);

afterAll(async () => {
  proxy?.close();
  await prometheus?.stop();
});

const base = () => ({
  'prometheus-url': prometheus.url,
  objective: '95',
  window: '1h',
  'total-query': 'http_requests_total{service="api"}',
  'error-query': 'http_requests_total{service="api",code="500"}',
  'query-time': queryTime.toISOString(),
});
const gate = (inputs: Record<string, string>) =>
  runBundledAction('slo-gate', { workspace, inputs: { ...base(), ...inputs } });

/** One ::error:: line, no stack, no outputs beyond what is expected. */
async function expectError(inputs: Record<string, string>, ...parts: string[]) {
  const run = await gate(inputs);
  expect(run.exitCode).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).not.toContain('\n');
  for (const part of parts) expect(run.errors[0]).toContain(part);
  return run;
}

describe('slo-gate bad input', () => {
  it.each(['100', '0', 'abc'])('rejects objective %s', async (objective) => {
    const run = await expectError(
      { objective },
      `input 'objective': '${objective}' is not valid; expected a percentage greater than 0 and less than 100`,
    );
    expect(run.outputs.decision).toBeUndefined();
  });

  it('refuses an SLO file outside the workspace', async () => {
    await expectError(
      { objective: '', 'total-query': '', 'error-query': '', slos: '/etc/hostname' },
      "input 'slos': '/etc/hostname' resolves to /etc/hostname, outside the workspace ",
      '; expected a path inside the workspace',
    );
  });

  it('rejects window 28x', async () => {
    await expectError({ window: '28x' }, "input 'window': '28x' is not valid; expected a duration");
  });

  // The input overrides the file's period: its error names the input, not a field of the file it replaces.
  it.each([
    ['our format', 'slos:\n  - { name: api, objective: 99.5, total: a, errors: b }\n'],
    [
      'sloth',
      'version: prometheus/v1\nservice: api\nslos:\n  - name: api\n    objective: 99.5\n    sli: { raw: { error_ratio_query: x } }\n',
    ],
    [
      'OpenSLO',
      'apiVersion: openslo/v1\nkind: SLO\nmetadata: { name: api }\nspec:\n  service: api\n  budgetingMethod: Occurrences\n  timeWindow: [{ duration: 28d, isRolling: true }]\n  indicator:\n    metadata: { name: api }\n    spec: { ratioMetric: { counter: true, good: { metricSource: { type: Prometheus, spec: { query: a } } }, total: { metricSource: { type: Prometheus, spec: { query: b } } } } }\n  objectives: [{ target: 0.995 }]\n',
    ],
  ])('rejects window 28x beside an SLO file in %s, naming the input', async (_, file) => {
    writeFileSync(path.join(workspace, 'period.yaml'), file);
    const run = await gate({
      objective: '',
      'total-query': '',
      'error-query': '',
      slos: 'period.yaml',
      window: '28x',
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      "input 'window': '28x' is not valid; expected a duration of at least 1m, such as 28d, 7d or 30d",
    ]);
  });

  // The password of a URL that is refused is masked first and never printed, parsable or not.
  it.each([
    [
      'of another scheme',
      `ftp://gate:${SECRETS.urlPassword}@prometheus.example`,
      'ftp://***@prometheus.example',
    ],
    ['that does not parse', `https://gate:${SECRETS.urlPassword}@prom example`, 'https://***@prom example'],
  ])('refuses a URL %s without printing its password', async (_, url, shown) => {
    const run = await gate({ 'prometheus-url': url });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      `input 'prometheus-url': '${shown}' is not valid; expected an http:// or https:// URL`,
    ]);
    expect(run.stdout).toContain(`::add-mask::${SECRETS.urlPassword}`);
    const logs = `${run.stdout}\n${run.stderr}`.replace(/^::add-mask::.*$/gm, '');
    expect(logs).not.toContain(SECRETS.urlPassword);
  });

  // A zero duration is no timeout and no interval: each attempt gave up at once, the query read [0s].
  it.each([
    [
      { timeout: '0s' },
      "input 'timeout': '0s' is not valid; expected a duration above 0, such as 500ms, 30s, 10m or 1h",
    ],
    [
      { mode: 'canary', 'analysis-interval': '0s' },
      "input 'analysis-interval': '0s' is not valid; expected a duration above 0, such as 500ms, 30s, 10m or 1h",
    ],
  ])('rejects %j naming the input', async (inputs, message) => {
    const run = await gate(inputs);
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([message]);
  });

  it('puts the error text of PromQL that Prometheus rejects in the message, with the URL and the query', async () => {
    const query = 'summ(increase(http_requests_total{service="api"}[{{window}}]))';
    const run = await expectError(
      { 'total-query': query, 'on-error': 'pass' },
      `Prometheus at ${prometheus.url}/ rejected query`,
      'summ(increase(http_requests_total{service="api"}[1h]))',
      'bad_data: invalid parameter "query": 1:15: parse error: unknown function with name "summ"',
    );
    expect(run.outputs.decision).toBe('fail');
  });

  it('rejects a query that returns several series where one is expected', async () => {
    await expectError(
      { 'total-query': 'sum by (code) (increase(http_requests_total{service="api"}[{{window}}]))' },
      'returned 2 series (',
      'code="200"',
      'where one was expected; aggregate it',
    );
  });

  it('rejects a file in none of the formats, naming the file', async () => {
    writeFileSync(path.join(workspace, 'other.yaml'), 'apiVersion: v1\nkind: ConfigMap\ndata: {}\n');
    await expectError(
      { objective: '', 'total-query': '', 'error-query': '', slos: 'other.yaml' },
      'other.yaml: not an SLO file in any known format (apiVersion "v1", kind "ConfigMap"); expected our format',
      'OpenSLO (apiVersion: openslo/v1 or openslo/v1alpha',
      'sloth',
    );
  });

  it('names the file, the path inside it and what was expected for a malformed file', async () => {
    writeFileSync(
      path.join(workspace, 'broken.yaml'),
      'apiVersion: openslo/v1\nkind: SLO\nmetadata: { name: x }\nspec:\n  indicator: { spec: { ratioMetric: { total: {} } } }\n  objectives: [{ target: 0.99 }]\n',
    );
    await expectError(
      { objective: '', 'total-query': '', 'error-query': '', slos: 'broken.yaml' },
      "broken.yaml: at 'spec.indicator.spec.ratioMetric.total.metricSource': expected a metricSource",
    );
  });
});

describe('slo-gate when Prometheus fails', () => {
  it('fails after retries, naming the URL and the query, or passes with a warning when on-error is pass', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const failed = await expectError(
      { 'prometheus-url': url, timeout: '2s' },
      `Prometheus at ${url}/ failed for query 'label_replace(`,
      'after 4 attempts',
    );
    expect(failed.outputs.decision).toBe('fail');
    const passed = await gate({ 'prometheus-url': url, 'on-error': 'pass' });
    expect(passed.exitCode).toBe(0);
    expect(passed.outputs.decision).toBe('pass');
    expect(passed.warnings.join('\n')).toContain('on-error is pass');
  });
});

describe('slo-gate credentials', () => {
  it('reaches a prefixed API with basic auth and a tenant header, bearer tokens or URL credentials, and masks them all', async () => {
    const runs = [
      await gate({
        'prometheus-url': proxyUrl,
        username: 'gate',
        password: SECRETS.password,
        headers: `X-Scope-OrgID=${SECRETS.tenant}`,
      }),
      await gate({
        'prometheus-url': proxyUrl,
        'bearer-token': SECRETS.token,
        headers: `X-Scope-OrgID=${SECRETS.tenant}`,
      }),
      await gate({
        'prometheus-url': proxyUrl.replace('http://', `http://gate:${SECRETS.urlPassword}@`),
        headers: `X-Scope-OrgID=${SECRETS.tenant}`,
      }),
      // Headers as HTTP writes them, the syntax k8s-rollout's prometheus-headers shares.
      await gate({
        'prometheus-url': proxyUrl,
        'bearer-token': SECRETS.token,
        headers: `X-Scope-OrgID: ${SECRETS.tenant}`,
      }),
    ];
    for (const run of runs) {
      expect([run.exitCode, run.outputs.decision]).toEqual([0, 'pass']);
      const logs = `${run.stdout}\n${run.stderr}\n${run.summary}`.replace(/^::add-mask::.*$/gm, '');
      for (const secret of Object.values(SECRETS)) expect(logs).not.toContain(secret);
      expect(logs).not.toMatch(/Basic [A-Za-z0-9+/=]{8,}/);
      expect(run.stdout).toContain(`::add-mask::`);
    }
    expect(seen.some((headers) => headers.authorization === `Bearer ${SECRETS.token}`)).toBe(true);
    const wrong = await gate({
      'prometheus-url': proxyUrl,
      'bearer-token': 'not-it',
      headers: `X-Scope-OrgID=${SECRETS.tenant}`,
    });
    expect(wrong.exitCode).toBe(1);
    expect(wrong.errors[0]).toContain('answered 401 Unauthorized');
  });
});
