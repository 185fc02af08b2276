// SLO files as teams already write them (sloth, OpenSLO, ours) over 31 days of generated history: the file
// decides its period and alerting, and the numbers match PromQL over the generated counters.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatDuration } from '@gin-deploy/action';
import { startPrometheus, type RunningPrometheus } from '../support/prometheus.js';
import { sloFiles } from './files.js';
import { slothGenerate } from './sloth.js';
import {
  asOutput,
  counter,
  expected,
  lastSample,
  MINUTE,
  promqlIncrease,
  queryTime,
  toSeries,
  type Counter,
} from './history.js';

const DAY = 24 * 60 * MINUTE;
const SPAN = 31 * DAY;

/** 1000 requests a minute; errors(m) of them fail, m minutes before the last sample. */
function service(name: string, errors: (minutesBeforeEnd: number) => number, span = SPAN) {
  const ok = counter({ service: name, code: '200' }, span, 5_000_000, (m) => 1000 - errors(m));
  const bad = counter({ service: name, code: '500' }, span, 1_000, errors);
  return { ok, bad, all: [ok, bad] as Counter[] };
}

// A 14× burn of a 99.9% budget (1.4% errors) over the last 90 minutes, nothing before: sloth pages on it
// with a 28d period (factor 13.44) and does not with its default 30d (factor 14.4).
const burst = service('burst', (m) => (m < 90 ? 14 : 0));
// 0.2% errors all month: 60% of a 99.5% budget left.
const steady = service('steady', () => 2);
// 0.1% errors every minute: no 1-minute slice falls below 99%, yet the events overspend a 99.95% budget.
const trickle = service('trickle', () => 1);
// Services whose history is younger than a 30d window: 20 days and 10 days kept.
const young = service('young', () => 2, 20 * DAY);
// 0.2% errors over the last two days only: twice a 99.9% budget's pace over 3d and 6h, a ticket in sloth.
const ticket = service('ticket', (m) => (m < 2 * 24 * 60 ? 2 : 0));
const newborn = service('newborn', () => 2, 10 * DAY);

let prometheus: RunningPrometheus;
const { dir, write, gate } = sloFiles(() => prometheus.url);
const report = (run: { outputs: Record<string, string> }) =>
  JSON.parse(readFileSync(run.outputs.report, 'utf8'));

beforeAll(async () => {
  prometheus = await startPrometheus(
    toSeries('http_requests_total', [
      ...burst.all,
      ...steady.all,
      ...trickle.all,
      ...young.all,
      ...newborn.all,
      ...ticket.all,
    ]),
  );
}, 600_000);

afterAll(async () => {
  await prometheus?.stop();
});

const opensloBurst = (window: string) => [
  'apiVersion: openslo/v1',
  'kind: SLO',
  'metadata: { name: burst-availability }',
  'spec:',
  '  service: burst',
  `  timeWindow: [{ duration: ${window}, isRolling: true }]`,
  '  budgetingMethod: Occurrences',
  '  objectives: [{ target: 0.999 }]',
  '  indicator:',
  '    metadata: { name: burst-errors }',
  '    spec:',
  '      ratioMetric:',
  '        counter: true',
  '        bad: { metricSource: { type: Prometheus, spec: { query: \'http_requests_total{service="burst",code="500"}\' } } }',
  '        total: { metricSource: { type: Prometheus, spec: { query: \'http_requests_total{service="burst"}\' } } }',
];

describe('the file decides its period and its burn-rate factors', () => {
  it('judges an OpenSLO SLO over its own 30d timeWindow, where a 14× burn stays under the page factor 14.4', async () => {
    const run = await gate(write('burst-30d.yaml', opensloBurst('30d')));
    const want = expected(burst.all, [burst.bad], 0.999, 30 * DAY);
    expect(run.exitCode).toBe(0);
    expect(run.outputs.decision).toBe('pass');
    expect(run.outputs['budget-remaining']).toBe(asOutput(want.budgetRemaining));
    // 1260 errors of 43.2 million requests against a 0.1% budget (increase() extrapolates the edges a little).
    expect(Number(run.outputs['budget-remaining'])).toBeCloseTo(1 - 1260 / 43_200, 5);
    expect(run.outputs['burn-rate']).toBe('14');
    const [slo] = report(run).slos;
    expect(slo.window).toBe('30d');
    expect(slo.burnRates.map((check: { factor: number }) => check.factor)).toEqual([14.4, 6, 3, 1]);
  });

  it('pages on the same burn under a 28d period (13.44), from the file or from the window input', async () => {
    const fromFile = await gate(write('burst-28d.yaml', opensloBurst('28d')));
    const overridden = await gate('burst-30d.yaml', { window: '28d' });
    const want = expected(burst.all, [burst.bad], 0.999, 28 * DAY);
    for (const run of [fromFile, overridden]) {
      expect(run.exitCode).toBe(1);
      expect(run.outputs.decision).toBe('fail');
      expect(run.outputs['budget-remaining']).toBe(asOutput(want.budgetRemaining));
      expect(run.errors[0]).toContain('burn rate 14 over 1h confirmed by 14 over 5m is at least 13.44');
      expect(report(run).slos[0].window).toBe('28d');
    }
  });

  it('takes explicit burn-rate-windows over the derived ones', async () => {
    const run = await gate('burst-28d.yaml', { 'burn-rate-windows': '1h/5m:14.4' });
    expect([run.exitCode, run.outputs.decision]).toEqual([0, 'pass']);
  });
});

describe('the formats teams already have, read as their projects define them', () => {
  const selector = (code = '') => `http_requests_total{service="steady"${code}}`;
  const rate = (code = '') => `sum(rate(${selector(code)}[{{.window}}]))`;
  const files = {
    'sloth prometheus/v1': [
      'version: prometheus/v1',
      'service: steady',
      'labels: { owner: team-a }',
      'slos:',
      '  - name: requests-availability',
      '    description: 5xx responses are errors',
      '    objective: 99.5',
      '    sli:',
      '      events:',
      `        error_query: '${rate(',code="500"')}'`,
      `        total_query: '${rate()}'`,
      '    alerting:',
      '      name: SteadyAvailability',
      '      page_alert: { labels: { severity: critical } }',
      '      ticket_alert: { labels: { severity: warning } }',
    ],
    'sloth raw error_ratio_query': [
      'version: prometheus/v1',
      'service: steady',
      'slos:',
      '  - name: requests-availability',
      '    objective: 99.5',
      `    sli: { raw: { error_ratio_query: '${rate(',code="500"')} / ${rate()}' } }`,
    ],
    'sloth PrometheusServiceLevel': [
      'apiVersion: sloth.slok.dev/v1',
      'kind: PrometheusServiceLevel',
      'metadata: { name: steady, namespace: prod }',
      'spec:',
      '  service: steady',
      '  slos:',
      '    - name: requests-availability',
      '      objective: 99.5',
      `      sli: { events: { errorQuery: '${rate(',code="500"')}', totalQuery: '${rate()}' } }`,
      '      alerting: { name: SteadyAvailability, pageAlert: {}, ticketAlert: {} }',
    ],
    'OpenSLO v1 with an SLI document': [
      'apiVersion: openslo/v1',
      'kind: SLI',
      'metadata: { name: steady-errors }',
      'spec:',
      '  ratioMetric:',
      '    counter: true',
      `    bad: { metricSource: { type: Prometheus, spec: { query: '${selector(',code="500"')}' } } }`,
      `    total: { metricSource: { type: Prometheus, spec: { query: '${selector()}' } } }`,
      '---',
      'apiVersion: openslo/v1',
      'kind: SLO',
      'metadata: { name: requests-availability }',
      'spec:',
      '  service: steady',
      '  indicatorRef: steady-errors',
      '  timeWindow: [{ duration: 30d, isRolling: true }]',
      '  budgetingMethod: Occurrences',
      '  objectives: [{ target: 0.995 }]',
    ],
    'OpenSLO v1alpha': [
      'apiVersion: openslo/v1alpha',
      'kind: SLO',
      'metadata: { name: requests-availability }',
      'spec:',
      '  service: steady',
      '  budgetingMethod: Occurrences',
      '  timeWindows: [{ unit: Day, count: 30, isRolling: true }]',
      '  objectives:',
      '    - target: 0.995',
      '      ratioMetrics:',
      `        good: { source: prometheus, queryType: promql, query: '${rate(',code="200"')}' }`,
      `        total: { source: prometheus, queryType: promql, query: '${rate()}' }`,
    ],
  };

  it.each(Object.keys(files))('%s: 60%% of the 30d budget left, as PromQL gives it', async (format) => {
    const run = await gate(write(`${format.replace(/\W+/g, '-')}.yaml`, files[format as keyof typeof files]));
    const want = expected(steady.all, [steady.bad], 0.995, 30 * DAY);
    expect([run.exitCode, run.outputs.decision]).toEqual([0, 'pass']);
    expect(run.outputs['budget-remaining']).toBe(asOutput(want.budgetRemaining));
    expect(run.outputs.sli).toBe(asOutput(want.sli));
    expect(Number(run.outputs['budget-remaining'])).toBeCloseTo(0.6, 6);
    expect(run.warnings).toEqual([]);
    const [slo] = report(run).slos;
    expect([slo.name, slo.window]).toEqual(['requests-availability', '30d']);
  });

  it('reads a sloth document and an OpenSLO document in one file to the same numbers', async () => {
    const sloth = files['sloth prometheus/v1'].join('\n');
    const openslo = files['OpenSLO v1 with an SLI document']
      .join('\n')
      .replace(/requests-availability/, 'openslo-availability');
    const run = await gate(write('both.yaml', [sloth, '---', openslo]));
    expect(run.exitCode).toBe(0);
    const slos = report(run).slos;
    expect(slos.map((slo: { name: string }) => slo.name)).toEqual([
      'requests-availability',
      'openslo-availability',
    ]);
    expect(slos[0].budgetRemaining).toBeCloseTo(slos[1].budgetRemaining, 12);
    expect(slos[0].sli).toBeCloseTo(slos[1].sli, 12);
  });

  it('refuses an unknown field by name in one error line', async () => {
    const text = files['sloth prometheus/v1'].map((line) => line.replace('error_query', 'errorQuery'));
    const run = await gate(write('camel.yaml', text));
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      "camel.yaml: at 'slos[0].sli.events.errorQuery': unknown field 'errorQuery'; expected one of error_query, total_query",
    ]);
  });

  it('warns about a sloth objective that reads like a ratio, and refuses it under strict', async () => {
    const file = write(
      'slip.yaml',
      files['sloth prometheus/v1'].map((line) => line.replace('objective: 99.5', 'objective: 0.995')),
    );
    const slip =
      "slip.yaml: at 'slos[0].objective': objective 0.995 is a percentage here (0.995%), which reads like a ratio; did you mean 99.5?";
    const run = await gate(file);
    expect(run.warnings).toContain(slip);
    expect(run.summary).toContain(slip);
    const strict = await gate(file, { strict: 'true' });
    expect(strict.exitCode).toBe(1);
    expect(strict.errors).toEqual([`${slip} (strict validation)`]);
  });
});

describe('OpenSLO Timeslices, judged as the share of good slices', () => {
  const timeslices = (
    name: string,
    service: string,
    target: number,
    sliceTarget: number,
    method = 'Timeslices',
  ) => [
    'apiVersion: openslo/v1',
    'kind: SLO',
    `metadata: { name: ${name} }`,
    'spec:',
    `  service: ${service}`,
    `  budgetingMethod: ${method}`,
    '  timeWindow: [{ duration: 30d, isRolling: true }]',
    '  indicator:',
    '    metadata: { name: errors }',
    '    spec:',
    '      ratioMetric:',
    `        good: { metricSource: { type: Prometheus, spec: { query: 'http_requests_total{service="${service}",code="200"}' } } }`,
    `        total: { metricSource: { type: Prometheus, spec: { query: 'http_requests_total{service="${service}"}' } } }`,
    method === 'Timeslices'
      ? `  objectives: [{ target: ${target}, timeSliceTarget: ${sliceTarget}, timeSliceWindow: 1m }]`
      : `  objectives: [{ target: ${target} }]`,
  ];

  it('passes 0.1% steady errors with 1-minute slices at 99%: every slice good, SLI 1', async () => {
    const sliced = await gate(write('trickle-slices.yaml', timeslices('trickle', 'trickle', 0.9995, 0.99)));
    expect(sliced.exitCode).toBe(0);
    expect(sliced.outputs).toMatchObject({
      decision: 'pass',
      sli: '1',
      'budget-remaining': '1',
      'burn-rate': '0',
    });
    const [slo] = report(sliced).slos;
    expect([slo.good, slo.total]).toEqual([43_200, 43_200]);
    // The same errors counted as occurrences overspend the 0.05% budget twice over.
    const counted = await gate(
      write('trickle-events.yaml', timeslices('trickle', 'trickle', 0.9995, 0.99, 'Occurrences')),
    );
    expect(counted.outputs.decision).toBe('fail');
    expect(Number(counted.outputs['budget-remaining'])).toBeCloseTo(-1, 6);
  });

  it('counts the 90 bad minutes of a burst among the 43200 slices of 30 days', async () => {
    const run = await gate(write('burst-slices.yaml', timeslices('burst', 'burst', 0.999, 0.99)));
    expect(run.exitCode).toBe(1);
    const [slo] = report(run).slos;
    expect([slo.good, slo.total]).toEqual([43_200 - 90, 43_200]);
    expect(run.outputs.sli).toBe(asOutput((43_200 - 90) / 43_200));
    expect(run.outputs['budget-remaining']).toBe(asOutput(1 - 90 / 43_200 / 0.001));
    // Every slice of the last hour is bad: a burn rate of 1 / 0.001.
    expect(run.outputs['burn-rate']).toBe('1000');
  });
});

describe('OpenSLO calendar windows, judged from the start of the current period', () => {
  const HOUR = 60 * MINUTE;
  const at = queryTime.getTime();
  const iso = (ms: number) => new Date(ms).toISOString();
  const calendarSlo = (service: string, target: number, window: string) => [
    'apiVersion: openslo/v1',
    'kind: SLO',
    `metadata: { name: ${service}-calendar }`,
    'spec:',
    `  service: ${service}`,
    `  timeWindow: [${window}]`,
    '  budgetingMethod: Occurrences',
    `  objectives: [{ target: ${target} }]`,
    '  indicator:',
    '    metadata: { name: errors }',
    '    spec:',
    '      ratioMetric:',
    `        bad: { metricSource: { type: Prometheus, spec: { query: 'http_requests_total{service="${service}",code="500"}' } } }`,
    `        total: { metricSource: { type: Prometheus, spec: { query: 'http_requests_total{service="${service}"}' } } }`,
  ];
  const totalOver = (counters: Counter[], spanMs: number) =>
    counters.reduce((sum, { samples }) => sum + (promqlIncrease(samples, at, spanMs) as number), 0);

  it('budgets a 1M period that began 10 days ago over those 10 days, with factors from the month’s length', async () => {
    // A month starting at 00:00 UTC ten days before the query time: the current period is the first one.
    const startMs = Math.floor(at / DAY) * DAY - 10 * DAY;
    const start = new Date(startMs);
    const endMs = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, start.getUTCDate());
    const spanMs = at - startMs;
    const startTime = iso(startMs).slice(0, 10) + ' 00:00:00';
    const run = await gate(
      write(
        'ticket-month.yaml',
        calendarSlo(
          'ticket',
          0.999,
          `{ duration: 1M, calendar: { startTime: '${startTime}', timeZone: UTC } }`,
        ),
      ),
    );
    // 0.2% errors over the last 2 of the ~10 days spend about 0.39 of a 0.1% budget (4 ÷ the span in days);
    // over a rolling 30d it would be about 0.13.
    const want = expected(ticket.all, [ticket.bad], 0.999, spanMs);
    expect(run.outputs['budget-remaining']).toBe(asOutput(want.budgetRemaining));
    expect(Number(run.outputs['budget-remaining'])).toBeCloseTo(1 - (2 * 2) / (spanMs / DAY), 2);
    const [slo] = report(run).slos;
    expect(slo.total).toBeCloseTo(totalOver(ticket.all, spanMs), 3);
    expect(slo.window).toBe(formatDuration(spanMs));
    expect(slo.queries[0].query).toContain(`[${formatDuration(spanMs)}]`);
    expect(slo.calendar).toEqual({
      duration: '1M',
      timeZone: 'UTC',
      periodStart: iso(startMs),
      periodEnd: iso(endMs),
      elapsed: formatDuration(spanMs),
      fraction: spanMs / (endMs - startMs),
    });
    // Factors follow this period's days (the Workbook formula); 2% in 1h is 14.4 for 30 days, 14.88 for 31.
    const days = (endMs - startMs) / DAY;
    expect(slo.burnRates.map((check: { factor: number }) => check.factor)).toEqual(
      [0.02 * days * 24, 0.05 * days * 4, 0.1 * days, (0.1 * days) / 3].map((f) => Number(f.toPrecision(12))),
    );
    // 0.2% errors over the last 3d and 6h: twice the pace and above the 3d/6h ticket's factor, so a warning.
    expect([run.exitCode, run.outputs.decision]).toEqual([0, 'warn']);
    expect(run.summary).toContain(
      `| 1M calendar (UTC): ${iso(startMs).slice(0, 10)} to ${iso(endMs).slice(0, 10)}, judged over the ${formatDuration(spanMs)} so far |`,
    );
  });

  it('aligns a 1d period to the start time’s wall clock in its zone, and judges a short period by its budget alone', async () => {
    // Kolkata is UTC+05:30 all year. Days there start at a wall-clock hour ten hours before the query time.
    const IST = 5.5 * HOUR;
    const hour = Math.floor(((at + IST) % DAY) / HOUR + 24 - 10) % 24;
    const startMs = at - ((((at + IST - hour * HOUR) % DAY) + DAY) % DAY);
    const spanMs = at - startMs;
    const startTime = `2020-01-01 ${String(hour).padStart(2, '0')}:00:00`;
    const run = await gate(
      write(
        'steady-day.yaml',
        calendarSlo(
          'steady',
          0.995,
          `{ duration: 1d, calendar: { startTime: '${startTime}', timeZone: Asia/Kolkata } }`,
        ),
      ),
    );
    const want = expected(steady.all, [steady.bad], 0.995, spanMs);
    expect([run.exitCode, run.outputs.decision]).toEqual([0, 'pass']);
    expect(run.outputs['budget-remaining']).toBe(asOutput(want.budgetRemaining));
    expect(run.outputs.sli).toBe(asOutput(want.sli));
    const [slo] = report(run).slos;
    expect(spanMs).toBeGreaterThanOrEqual(10 * HOUR);
    expect(spanMs).toBeLessThan(11 * HOUR);
    expect(slo.total).toBeCloseTo(totalOver(steady.all, spanMs), 3);
    expect(slo.calendar).toMatchObject({
      periodStart: iso(startMs),
      periodEnd: iso(startMs + DAY),
      elapsed: formatDuration(spanMs),
    });
    // Every default pair's factor is below 1 for a 1d period (2% of the budget in 1h is 0.48).
    expect(slo.burnRates).toEqual([]);
    expect(slo.queries).toHaveLength(1);
    expect(run.summary).toContain(
      "none: for a 1d period every default pair's factor is below 1; the budget alone is judged",
    );
  });

  it('judges the first 30 s of a period by on-no-data, with no chart to draw', async () => {
    const startTime = `2020-01-01 ${iso(at).slice(11, 16)}:00`;
    const run = await gate(
      write(
        'steady-first-minute.yaml',
        calendarSlo(
          'steady',
          0.995,
          `{ duration: 1d, calendar: { startTime: '${startTime}', timeZone: UTC } }`,
        ),
      ),
    );
    expect([run.exitCode, run.outputs.decision]).toEqual([1, 'fail']);
    expect(run.errors[0]).toContain('no data over 30s; on-no-data is fail');
    expect(run.warnings.join('\n')).not.toContain('chart');
    expect(report(run).slos[0].calendar).toMatchObject({ elapsed: '30s', periodStart: iso(at - 30_000) });
  });
});

describe('what the data covers', () => {
  const STEP = 6 * 60 * MINUTE; // a 120th of 30d
  /** As the gate finds it: the first 6h step whose last 10 minutes hold two samples, one step back. */
  const coverage = (spanMs: number) => {
    const firstStep = Math.ceil((lastSample - spanMs + MINUTE) / STEP) * STEP;
    const coveredMs = queryTime.getTime() - (firstStep - STEP);
    // To the step it is found to: 20d or 20d6h, depending on where the data's start falls in its step.
    const hours = Math.round(coveredMs / STEP) * 6;
    const span = `${Math.floor(hours / 24)}d${hours % 24 ? `${hours % 24}h` : ''}`;
    return {
      coveredMs,
      fraction: coveredMs / (30 * DAY),
      span,
      partial: true,
      since: new Date(firstStep - STEP).toISOString(),
    };
  };
  const file = (name: string) =>
    write(`${name}.yaml`, [
      'window: 30d',
      'slos:',
      `  - { name: ${name}, objective: 99.5, total: 'http_requests_total{service="${name}"}', errors: 'http_requests_total{service="${name}",code="500"}' }`,
    ]);

  it('warns when the oldest data is younger than the window, and reports the span it covers', async () => {
    const run = await gate(file('young'));
    const want = coverage(20 * DAY);
    expect([run.exitCode, run.outputs.decision]).toEqual([0, 'pass']);
    const [slo] = report(run).slos;
    expect(slo.coverage).toEqual(want);
    // The first step lands up to one 6h step before the data starts, wherever it falls in the step grid.
    const fromDataStart = 20 * DAY + queryTime.getTime() - lastSample - MINUTE;
    expect(want.coveredMs).toBeGreaterThan(fromDataStart);
    expect(want.coveredMs).toBeLessThanOrEqual(fromDataStart + STEP);
    const note = `SLO 'young': data covers ${want.span} (${Number((want.fraction * 100).toFixed(1))}%, since ${want.since}) of the 30d window; the SLI and budget are over that span`;
    expect(run.warnings).toContain(note);
    expect(run.summary).toContain(`| 30d (data: ${want.span}) |`);
    expect(want.span).toMatch(/^20d(6h)?$/);
    // The budget is what the 20 days give: 0.2% errors against a 0.5% budget.
    expect(run.outputs['budget-remaining']).toBe(
      asOutput(expected(young.all, [young.bad], 0.995, 30 * DAY).budgetRemaining),
    );
  });

  it('judges data covering under half the window by on-no-data', async () => {
    const run = await gate(file('newborn'));
    const want = coverage(10 * DAY);
    expect(run.exitCode).toBe(1);
    expect(run.outputs.decision).toBe('fail');
    expect(report(run).slos[0].coverage).toEqual(want);
    expect(run.errors[0]).toContain(
      `data covers only ${want.span} (${Number((want.fraction * 100).toFixed(1))}%, since ${want.since}) of the 30d window, under the minimum 50%; on-no-data is fail`,
    );
    const warned = await gate('newborn.yaml', { 'on-no-data': 'warn' });
    expect([warned.exitCode, warned.outputs.decision]).toEqual([0, 'warn']);
  });
});

describe('agreement with sloth v0.16.0 itself', () => {
  const slo = (name: string, objective: number, service: string) => [
    `  - name: ${name}`,
    `    objective: ${objective}`,
    '    sli:',
    '      events:',
    `        error_query: sum(rate(http_requests_total{service="${service}",code="500"}[{{.window}}]))`,
    `        total_query: sum(rate(http_requests_total{service="${service}"}[{{.window}}]))`,
    `    alerting: { name: ${name.replace(/-/g, '')} }`,
  ];
  const cases = [
    { name: 'burst-999', objective: 99.9, service: 'burst', verdict: 'pass', page: false, ticket: false },
    { name: 'burst-9995', objective: 99.95, service: 'burst', verdict: 'fail', page: true, ticket: false },
    { name: 'ticket-999', objective: 99.9, service: 'ticket', verdict: 'warn', page: false, ticket: true },
  ];

  it("matches sloth's generated rules evaluated by the same Prometheus to 1e-9, page → fail and ticket → warn", async () => {
    const file = write('sloth-reference.yaml', [
      'version: prometheus/v1',
      'service: reference',
      'slos:',
      ...cases.flatMap((entry) => slo(entry.name, entry.objective, entry.service)),
    ]);
    const rules = await slothGenerate(path.join(dir, file), path.join(dir, 'sloth-rules.yaml'));
    const evaluate = async (query: string) => {
      const url = `${prometheus.url}/api/v1/query?query=${encodeURIComponent(query)}&time=${queryTime.getTime() / 1000}`;
      const body = (await (await fetch(url)).json()) as { data: { result: { value: [number, string] }[] } };
      return body.data.result.map((sample) => Number(sample.value[1]));
    };
    const run = await gate(file, { 'warn-budget-remaining': '0%' });
    expect(run.outputs.decision).toBe('fail');
    const judged = report(run).slos as {
      name: string;
      verdict: string;
      budgetRemaining: number;
      burnRates: { window: string; long: number; short: number; firing: boolean; severity: string }[];
    }[];
    for (const entry of cases) {
      const sloth = rules.get(entry.name);
      if (!sloth) throw new Error(`sloth generated no rules for ${entry.name}`);
      const budget = 1 - entry.objective / 100;
      const burn = async (window: string) => {
        const [ratio] = await evaluate(sloth.errorRatio.get(window) as string);
        return ratio / budget;
      };
      const mine = judged.find((result) => result.name === entry.name);
      if (!mine) throw new Error(`slo-gate judged no SLO ${entry.name}`);
      // sloth's period SLI is an average of its 5m ratios; its exact form is the same rule over [30d].
      const exact = (sloth.errorRatio.get('1h') as string).replace(/\[1h\]/g, '[30d]');
      const [periodRatio] = await evaluate(exact);
      const close = (what: string, mineValue: number, slothValue: number) =>
        expect([entry.name, what, mineValue, Math.abs(mineValue - slothValue) < 1e-9]).toEqual([
          entry.name,
          what,
          mineValue,
          true,
        ]);
      close('budget remaining', mine.budgetRemaining, 1 - periodRatio / budget);
      expect(mine.burnRates.map((check) => check.window)).toEqual(['1h/5m', '6h/30m', '1d/2h', '3d/6h']);
      for (const check of mine.burnRates) {
        const [long, short] = check.window.split('/');
        close(`burn rate ${long}`, check.long, await burn(long));
        close(`burn rate ${short}`, check.short, await burn(short));
      }
      const fires = async (expr: string | undefined) => (expr ? (await evaluate(expr)).length > 0 : false);
      const page = await fires(sloth.page);
      const ticket = await fires(sloth.ticket);
      expect([entry.name, page, ticket]).toEqual([entry.name, entry.page, entry.ticket]);
      expect(mine.burnRates.some((check) => check.firing && check.severity === 'fail')).toBe(page);
      expect(mine.burnRates.some((check) => check.firing && check.severity === 'warn')).toBe(ticket);
      expect([entry.name, mine.verdict]).toEqual([entry.name, entry.verdict]);
    }
  });
});
