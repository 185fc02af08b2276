import { describe, expect, it, jest, beforeAll, afterAll } from '@jest/globals';
import { rmSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kubectl } from '../support/cluster.js';
import { servePrometheus, type RunningPrometheus } from '../support/prometheus.js';
import { waitFor } from '../support/wait.js';
import { scrapeTargets, startLoad } from './load.js';
import { deployApp, drill, sampleApp, useDemoCluster } from './support.js';

// SLO under fault, measured: a real Prometheus scrapes the demo kubelet's pods (file_sd targets kept from the
// cluster's pod list) every second while a bounded load loop sends /ping through the Ready pods. The drill
// compares the error ratio of its window with the same length before it.

const demo = useDemoCluster();
jest.setTimeout(5 * 60_000);
let prometheus: RunningPrometheus;
const tsdb = mkdtempSync(path.join(os.tmpdir(), 'drill-tsdb-'));
const targets = mkdtempSync(path.join(os.tmpdir(), 'drill-targets-'));

beforeAll(async () => {
  prometheus = await servePrometheus(tsdb, {
    removeOnStop: [tsdb, targets],
    scrapeConfigs: [
      {
        job_name: 'pods',
        scrape_interval: '1s',
        scrape_timeout: '900ms',
        file_sd_configs: [{ files: [path.join(targets, '*.json')] }],
      },
    ],
  });
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  rmSync(tsdb, { recursive: true, force: true });
  rmSync(targets, { recursive: true, force: true });
}, 60_000);

const analysis = (namespace: string) => `
baseline: namespace="${namespace}"
minSamples: 50
tolerance: 10%
checks:
  - name: errors
    errorRatio:
      errors: http_requests_total{route="/ping",code=~"5.."}
      total: http_requests_total{route="/ping"}
`;

// The same SLI as an SLO of an SLO file (gin-deploy's own format, as slo-gate reads it): its bad-event ratio may
// grow by 10% and by its error budget of 0.1%.
const SLOS = `window: 28d
slos:
  - name: ping-availability
    objective: 99.9
    total: http_requests_total{namespace="{{namespace}}",route="/ping"}
    errors: http_requests_total{namespace="{{namespace}}",route="/ping",code=~"5.."}
`;

async function drillUnderLoad(
  namespace: string,
  env: Record<string, string>,
  comparison: Record<string, string> = { analysis: analysis(namespace) },
  drillSeconds = 12,
) {
  await kubectl(demo.kubeconfig, ['create', 'namespace', namespace]);
  const stopTargets = scrapeTargets(
    demo.kubeconfig,
    namespace,
    'api',
    path.join(targets, `${namespace}.json`),
  );
  await deployApp(demo.kubeconfig, namespace, sampleApp('api', demo.image, { replicas: 2, env }));
  // Past the service's own FAIL_FOR start-up errors, and every pod scraped, before the window before the drill.
  await new Promise((resolve) => setTimeout(resolve, 12_000));
  await waitFor('Prometheus to scrape both pods', 30_000, async () => {
    const response = await fetch(
      `${prometheus.url}/api/v1/query?query=${encodeURIComponent(`count(up{namespace="${namespace}"} == 1)`)}`,
    );
    const body = (await response.json()) as { data: { result: { value: [number, string] }[] } };
    return body.data.result[0]?.value[1] === '2' ? true : undefined;
  });
  const load = startLoad(demo.kubeconfig, namespace, 'api', {
    perSecond: 20,
    maxRequests: 2000,
    maxMs: 90_000,
  });
  // The load covers the window before the drill, which is as long as the drill's.
  await new Promise((resolve) => setTimeout(resolve, (drillSeconds + 4) * 1000));
  const run = await drill(demo.kubeconfig, {
    name: 'api',
    namespace,
    drill: 'pod-kill 50%',
    'drill-duration': `${drillSeconds}s`,
    'drill-settle': '3s',
    ...comparison,
    'prometheus-url': prometheus.url,
  });
  load.stop();
  stopTargets();
  return { run, load: await load.done };
}

describe('k8s-rollout drill: SLO under the fault', () => {
  it('passes a version whose new pods serve correctly', async () => {
    const { run, load } = await drillUnderLoad('slo-good', {});
    expect(run.exitCode).toBe(0);
    expect(run.outputs['drill-result']).toBe('pass');
    expect(load.errors).toBe(0);
    // Enough for minSamples 50 in each window; the loop runs below its nominal 20/s while it lists the pods.
    expect(load.ok).toBeGreaterThan(150);
    expect(run.summary).toMatch(/\| errors \| 0 \| 0 \| pass \|/);
    process.stdout.write(`good: load ${JSON.stringify(load)}, score ${run.outputs['health-score']}\n`);
  });

  it('fails a version that serves errors while pods are missing', async () => {
    // New pods answer 500 for their first 10 s: only a pod started by the drill does that inside its window.
    const { run, load } = await drillUnderLoad('slo-bad', { FAIL_FOR: '10s' });
    expect(load.errors).toBeGreaterThan(0);
    expect(run.exitCode).toBe(1);
    expect(run.outputs['drill-result']).toBe('fail');
    expect(run.errors[0]).toMatch(
      /^drill of slo-bad\/api failed: SLO check 'errors' degraded under the fault: canary worse than baseline beyond tolerance: canary [\d.e-]+ vs baseline 0 /,
    );
    const score = Number(run.outputs['health-score']);
    process.stdout.write(`bad: load ${JSON.stringify(load)}, score ${score}\n`);
  });

  it('compares the SLOs of an SLO file the same way: passes the normal version, fails the erring one', async () => {
    // Longer windows than the analysis tests: the SLO checks keep the default minimum of 50 requests per window,
    // which a loaded machine's load loop (a few requests a second) may not reach in 12 s.
    const good = await drillUnderLoad('slo-file-good', {}, { slos: SLOS }, 24);
    expect([good.run.exitCode, good.run.outputs['drill-result'], good.load.errors]).toEqual([0, 'pass', 0]);
    expect(good.run.summary).toMatch(/\| ping-availability \| 0 \| 0 \| pass \|/);
    const bad = await drillUnderLoad('slo-file-bad', { FAIL_FOR: '10s' }, { slos: SLOS }, 24);
    expect(bad.load.errors).toBeGreaterThan(0);
    expect([bad.run.exitCode, bad.run.outputs['drill-result']]).toEqual([1, 'fail']);
    expect(bad.run.errors[0]).toMatch(
      /^drill of slo-file-bad\/api failed: SLO check 'ping-availability' degraded under the fault: canary worse than baseline beyond tolerance: canary [\d.e-]+ vs baseline 0 \(limit 0\.001,/,
    );
    process.stdout.write(
      `SLO file: good load ${JSON.stringify(good.load)}, score ${good.run.outputs['health-score']}; bad load ${JSON.stringify(bad.load)}, score ${bad.run.outputs['health-score']}\n`,
    );
  });
});
