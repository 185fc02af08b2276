import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { compareWindows, sloChecks } from '@gin-deploy/drill';
import { canaryAnalysisFrom, parseSloFile } from '@gin-deploy/slo';
import { startPrometheus, type RunningPrometheus, type SeriesDefinition } from '../support/prometheus.js';

// A drill's latency SLO against a real Prometheus over promtool-written history, whose exporters spell the
// bucket bound `1.0` (Python, Java clients) or, in one app, `1` on one pod and `1.0` on the other: the drill
// counts every spelling of the threshold and of +Inf, as slo-gate does, instead of finding no data (and
// passing) when the histogram does not write the Go client's spelling.

const MINUTE = 60_000;
const end = Math.floor(Date.now() / MINUTE) * MINUTE - 2 * MINUTE;
const start = end - 30 * MINUTE;
const drill = { startMs: end - 5 * MINUTE, endMs: end };
let prometheus: RunningPrometheus;

/** A bucket counter sampled every 15 s, growing by perStep(t) requests per step. */
function bucket(labels: Record<string, string>, perStep: (timeMs: number) => number): SeriesDefinition {
  let value = 0;
  return {
    metric: 'http_request_duration_seconds_bucket',
    labels,
    startMs: start,
    endMs: end,
    stepMs: 15_000,
    value: (time) => (value += time === start ? 0 : perStep(time)),
  };
}
// 100 requests a step; during the drill half of those of the slow pod take longer than 1 s.
const all = () => 100;
const halfSlowInDrill = (time: number) => (time > drill.startMs ? 50 : 100);

beforeAll(async () => {
  prometheus = await startPrometheus([
    bucket({ job: 'python', le: '+Inf' }, all),
    bucket({ job: 'python', le: '1.0' }, halfSlowInDrill),
    bucket({ job: 'mixed', pod: 'a', le: '+Inf' }, all),
    bucket({ job: 'mixed', pod: 'a', le: '1' }, all),
    bucket({ job: 'mixed', pod: 'b', le: '+Inf' }, all),
    bucket({ job: 'mixed', pod: 'b', le: '1.0' }, halfSlowInDrill),
  ]);
}, 120_000);
afterAll(async () => prometheus?.stop());

/** The drill window against the one before, for the SLOs of an SLO file (the k8s-rollout `slos` input). */
function compareFile(file: string) {
  const slos = parseSloFile(file, 'slos.yaml');
  const spec = canaryAnalysisFrom({ source: 'slos.yaml', checks: sloChecks(slos) });
  return compareWindows(spec, drill, { prometheus: { url: prometheus.url }, slos });
}

const compare = (job: string, threshold = '1s') =>
  compareFile(`slos:
  - name: latency
    objective: 99
    latency: http_request_duration_seconds_bucket{job="${job}"}
    threshold: ${threshold}
`);

describe("a drill's latency SLO", () => {
  it('counts buckets spelled le="1.0": half the requests slow in the drill fail it', async () => {
    const result = await compare('python');
    expect(result.verdict).toBe('fail');
    expect(result.checks[0]).toMatchObject({ canary: 0.5, baseline: 0 });
    expect(result.checks[0].queries?.[0]).toContain('le="1.0"');
  });

  it('counts both spellings when pods write 1 and 1.0', async () => {
    const result = await compare('mixed');
    expect(result.checks[0]).toMatchObject({ canary: 0.25, baseline: 0, verdict: 'fail' });
    expect(result.checks[0].queries?.[0]).toContain('le=~`1|1\\.0`');
  });

  it('leaves the other SLOs of the file as they are, in their order', async () => {
    const result = await compareFile(
      `slos:
  - name: served
    objective: 99
    total: http_request_duration_seconds_bucket{job="python",le="+Inf"}
    good: http_request_duration_seconds_bucket{job="python",le="1.0"}
  - name: latency
    objective: 99
    latency: http_request_duration_seconds_bucket{job="python"}
    threshold: 1s
`,
    );
    expect(result.checks.map((check) => [check.name, check.canary, check.baseline, check.verdict])).toEqual([
      ['served', 0.5, 0, 'fail'],
      ['latency', 0.5, 0, 'fail'],
    ]);
  });

  // Good above total (counters of two exporters, a selector that matches more) gave a negative share of bad
  // events, which passed as an improvement; it is a value no ratio can hold.
  it('refuses a bad-event ratio below 0, naming the query, the value and the time', async () => {
    const file = `slos:
  - name: served
    objective: 99
    total: http_request_duration_seconds_bucket{job="python",le="1.0"}
    good: http_request_duration_seconds_bucket{job="python",le="+Inf"}
`;
    await expect(compareFile(file)).rejects.toThrow(
      new RegExp(
        `^query '\\(sum\\(increase\\(http_request_duration_seconds_bucket\\{job="python",le="1\\.0"\\}\\[5m\\]\\)\\) - .*' at ${new Date(drill.endMs).toISOString()} gave -1 for the canary; expected a ratio from 0 to 1$`,
      ),
    );
  });

  it('refuses a threshold that is no bucket bound, naming the bounds', async () => {
    await expect(compare('python', '500ms')).rejects.toThrow(
      "SLO 'latency' (slos.yaml: slos[0]) latency query: the threshold 0.5s is no bucket bound of the histogram; expected one of its bounds: 1, +Inf",
    );
  });
});
