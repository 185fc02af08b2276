// slo-gate's settings reader in-process, driven by INPUT_* variables as the runner sets them, with the
// defaults action.yml gives (the bundle tests run the same reader through dist/). Every input of the step is
// read here, once, and each bad one stops it with one line naming the input.
import { afterAll, afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { readSettings } from '../../actions/slo-gate/src/settings.js';
import { repoRoot } from '../support/action.js';
import { clearInputs, setInput, setInputs, withEnvironment } from '../support/inputs.js';

const workspace = mkdtempSync(path.join(os.tmpdir(), 'slo-gate-settings-'));
const action = parse(readFileSync(path.join(repoRoot, 'slo-gate/action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
};
/** What the runner passes for every input the workflow leaves out: action.yml's default. */
const runnerDefaults = () => {
  for (const [name, input] of Object.entries(action.inputs))
    if (input.default !== undefined) setInput(name, String(input.default));
};
const inline = {
  'prometheus-url': 'https://prometheus.example/prefix',
  objective: '99.9',
  'total-query': 'http_requests_total{job="api"}',
  'error-query': 'http_requests_total{job="api",code=~"5.."}',
};
let restore: () => void;

beforeEach(() => {
  clearInputs();
  runnerDefaults();
  restore = withEnvironment({ GITHUB_WORKSPACE: workspace });
  // Masking writes ::add-mask:: commands; they are the bundle tests' concern.
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => {
  jest.restoreAllMocks();
  clearInputs();
  restore();
});
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

describe('slo-gate readSettings', () => {
  it('gives the gate with the defaults of action.yml for an inline SLO', () => {
    setInputs(inline);
    const before = Date.now();
    const settings = readSettings();
    expect(settings).toMatchObject({
      mode: 'gate',
      prometheus: { url: inline['prometheus-url'], headers: {}, timeoutMs: 30_000, attempts: 4 },
      onNoData: 'fail',
      onError: 'fail',
      gate: {
        policy: { minBudgetRemaining: 0, warnBudgetRemaining: 0.25, maxBurnRate: undefined },
        windows: undefined,
        scoring: 'worst',
        passScore: 90,
        warnScore: 75,
      },
    });
    expect(settings.time.getTime()).toBeGreaterThanOrEqual(before);
    if (settings.mode !== 'gate') throw new Error('not the gate');
    expect(settings.gate.slos).toEqual([
      expect.objectContaining({
        name: 'slo',
        objective: 0.999,
        windowMs: 28 * 86_400_000,
        sli: { kind: 'ratio', total: inline['total-query'], errors: inline['error-query'], good: undefined },
        source: 'inputs',
      }),
    ]);
  });

  it('reads headers as Name: value (and Name=value), credentials, the time and an SLO file', () => {
    writeFileSync(
      path.join(workspace, 'slos.yaml'),
      'window: 7d\nslos:\n  - { name: api, objective: 99.5, total: a, errors: b }\n',
    );
    setInputs({
      'prometheus-url': inline['prometheus-url'],
      slos: 'slos.yaml',
      headers: 'X-Scope-OrgID: tenant-1\nX-Api-Key=k==',
      'bearer-token': 'token',
      'query-time': '2026-01-31T12:00:00Z',
      'burn-rate-windows': '1h/5m:14.4, 3d/6h:1:warn',
      timeout: '5s',
    });
    const settings = readSettings();
    expect(settings.prometheus).toMatchObject({
      headers: { 'X-Scope-OrgID': 'tenant-1', 'X-Api-Key': 'k==' },
      bearerToken: 'token',
      timeoutMs: 5000,
    });
    expect(settings.time.toISOString()).toBe('2026-01-31T12:00:00.000Z');
    if (settings.mode !== 'gate') throw new Error('not the gate');
    expect(settings.gate.slos.map((slo) => [slo.name, slo.windowMs])).toEqual([['api', 7 * 86_400_000]]);
    expect(settings.gate.windows?.map((pair) => [pair.factor, pair.severity])).toEqual([
      [14.4, 'fail'],
      [1, 'warn'],
    ]);
  });

  it('gives the canary analysis and the capacity inputs of their modes', () => {
    setInputs({ ...inline, mode: 'canary', tolerance: '5%' });
    const canary = readSettings();
    if (canary.mode !== 'canary') throw new Error('not canary');
    expect(canary.canary.checks.map((check) => [check.name, check.tolerance])).toEqual([
      ['error-ratio', 0.05],
    ]);
    clearInputs();
    runnerDefaults();
    setInputs({
      'prometheus-url': inline['prometheus-url'],
      mode: 'capacity',
      objective: '99',
      'request-query': 'http_requests_total{job="api"}',
      'latency-query': 'http_request_duration_seconds_bucket{job="api"}',
      threshold: '300ms',
      'max-replicas': '6',
      requests: 'cpu=250m,memory=256Mi',
    });
    const capacity = readSettings();
    if (capacity.mode !== 'capacity') throw new Error('not capacity');
    expect(capacity.capacity.spec.latency).toEqual({
      histogram: 'http_request_duration_seconds_bucket{job="api"}',
      thresholdSeconds: 0.3,
      objective: 0.99,
    });
    expect(capacity.capacity.policy).toMatchObject({
      lookbackS: 28 * 86_400,
      horizonS: 7 * 86_400,
      headroom: 0.2,
      redundancy: 1,
      declared: { maxReplicas: 6, requests: { cpuCores: 0.25, memoryBytes: 256 * 1024 * 1024 } },
    });
  });

  const url = inline['prometheus-url'];
  const capacityInputs = {
    'prometheus-url': url,
    mode: 'capacity',
    objective: '99',
    'request-query': 'http_requests_total{job="api"}',
    'latency-query': 'http_request_duration_seconds_bucket{job="api"}',
    threshold: '300ms',
    'max-replicas': '6',
  };
  it.each<[string, Record<string, string>, string]>([
    [
      'no prometheus-url',
      { objective: '99' },
      "input 'prometheus-url' is required and was not supplied; expected the base URL of a Prometheus-compatible API",
    ],
    [
      'a URL of another scheme',
      { ...inline, 'prometheus-url': 'ftp://prometheus' },
      "input 'prometheus-url': 'ftp://prometheus' is not valid; expected an http:// or https:// URL",
    ],
    [
      'a header line without a separator (its value never shown)',
      { ...inline, headers: 'X-Scope-OrgID tenant-secret' },
      "input 'headers': line 1 has no ':' between the header name and its value; expected Name: value lines such as X-Scope-OrgID: tenant-1 (Name=value is read too)",
    ],
    [
      'a query time without a zone',
      { ...inline, 'query-time': '2026-01-31 12:00' },
      "input 'query-time': '2026-01-31 12:00' is not valid; expected an RFC 3339 time such as 2026-01-31T12:00:00Z",
    ],
    [
      'an objective of 100',
      { ...inline, objective: '100' },
      "input 'objective': '100' is not valid; expected a percentage greater than 0 and less than 100, such as 99.9",
    ],
    [
      'no objective and no file',
      { ...inline, objective: '' },
      "input 'objective' is required without an 'slos' file; expected a percentage such as 99.9",
    ],
    [
      'a window of 28x',
      { ...inline, window: '28x' },
      "input 'window': '28x' is not valid; expected a duration of at least 1m, such as 28d, 7d or 30d",
    ],
    [
      'a good and an error query',
      { ...inline, 'good-query': 'x' },
      "input 'good-query': expected exactly one of a good query and an error query beside the total query",
    ],
    [
      'a latency query without threshold',
      { 'prometheus-url': url, objective: '99', 'latency-query': 'h_bucket' },
      "input 'threshold' is required with a latency query; expected a latency such as 300ms",
    ],
    [
      'a burn-rate pair without a short window',
      { ...inline, 'burn-rate-windows': '1h:14.4' },
      "input 'burn-rate-windows': '1h:14.4' is not valid; expected entries like 1h/5m:14.4 or 3d/6h:1:warn (long/short window:factor[:warn|fail])",
    ],
    [
      'warn-score above pass-score',
      { ...inline, 'warn-score': '95' },
      "input 'warn-score': 95 is above pass-score 90; expected at most 90",
    ],
    [
      'a file beside inline SLO inputs',
      { ...inline, slos: 'slos.yaml' },
      "input 'slos': a file replaces the inline SLO inputs; drop objective, total-query, error-query or the file",
    ],
    [
      'a file that does not exist',
      { 'prometheus-url': url, slos: 'nope.yaml' },
      `input 'slos': file 'nope.yaml' does not exist (looked at ${path.join(workspace, 'nope.yaml')})`,
    ],
    [
      'canary mode without checks',
      { 'prometheus-url': url, mode: 'canary' },
      "canary mode needs checks: input 'analysis' (a file), 'error-query' with 'total-query', 'latency-query', or 'canary-queries' with 'baseline-queries'",
    ],
    [
      'a canary error query without its total',
      { 'prometheus-url': url, mode: 'canary', 'error-query': 'e' },
      "canary mode: input 'error-query' and input 'total-query' go together; give both or neither",
    ],
    [
      'a negative tolerance',
      { ...inline, mode: 'canary', tolerance: '-5%' },
      "input 'tolerance': '-5%' is not valid; expected 0% or more",
    ],
    [
      'canary queries without their baseline',
      { 'prometheus-url': url, mode: 'canary', 'canary-queries': 'p99=x', 'baseline-queries': 'p50=y' },
      "input 'baseline-queries': no query named 'p99'; expected the same names in canary-queries and baseline-queries",
    ],
    [
      'a canary error query that is no selector (the total one is)',
      { ...inline, mode: 'canary', 'error-query': 'rate(x[5m])' },
      "input 'error-query': 'rate(x[5m])' is not a series selector; expected a metric with optional label matchers, e.g. http_requests_total{job=\"api\"}",
    ],
    [
      'a canary latency query that is no selector',
      { 'prometheus-url': url, mode: 'canary', 'latency-query': 'sum(x)' },
      "input 'latency-query': 'sum(x)' is not a series selector; expected a metric with optional label matchers, e.g. http_requests_total{job=\"api\"}",
    ],
    [
      'a capacity query with a placeholder that has no value',
      { ...capacityInputs, 'request-query': 'x{app="{{app}}"}' },
      "input 'request-query': '{{app}}' has no value; known placeholders: {{service}}",
    ],
    [
      'capacity mode without a request query',
      { ...capacityInputs, 'request-query': '' },
      'input \'request-query\' is required and was not supplied; expected in capacity mode, a series selector such as http_requests_total{job="api"}',
    ],
    [
      'a capacity request query that is no selector',
      { ...capacityInputs, 'request-query': 'sum(rate(x[5m]))' },
      "input 'request-query': 'sum(rate(x[5m]))' is not valid; expected a series selector such as http_requests_total{job=\"api\"}",
    ],
    [
      'a lookback of 36h',
      { ...capacityInputs, lookback: '36h' },
      "input 'lookback': '36h' is not valid; expected whole days of at least 1d, such as 28d or 7d",
    ],
    [
      'a redundancy of N+x',
      { ...capacityInputs, redundancy: 'N+x' },
      "input 'redundancy': 'N+x' is not valid; expected N+0, N+1, N+2 or a whole number",
    ],
    [
      'requests without memory',
      { ...capacityInputs, requests: 'cpu=250m' },
      "input 'requests': 'cpu=250m' is not valid; expected both cpu and memory, such as cpu=250m,memory=256Mi",
    ],
    [
      'a Deployment name in capitals',
      { ...capacityInputs, deployment: 'API' },
      "input 'deployment': 'API' is not valid; expected a Kubernetes name: lowercase letters, digits and -",
    ],
    [
      'capacity mode with neither max-replicas nor a Deployment',
      { ...capacityInputs, 'max-replicas': '' },
      "capacity mode needs input 'max-replicas' or input 'deployment' (whose HPA's maxReplicas is read from kube-state-metrics)",
    ],
  ])('stops on %s with one line naming the input', (_what, inputs, message) => {
    writeFileSync(path.join(workspace, 'slos.yaml'), 'slos: []\n');
    setInputs(inputs);
    let thrown: unknown;
    try {
      readSettings();
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Error | undefined)?.message).toBe(message);
    expect(message).not.toContain('\n');
    expect(message).not.toContain('secret');
  });
});
