import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import * as support from '../test/support/prometheus.js';

const root = process.env.GIN_DEPLOY_ROOT ?? path.resolve(import.meta.dirname, '..');
const MINUTE = 60_000;
const DAYS = 30;
const SERVICES = 4;
const INSTANCES = 25; // 4 services × 25 instances × 2 codes = 200 series
const cache = path.join(os.tmpdir(), 'gin-deploy-bench-slo-gate-v1');
const marker = path.join(cache, 'bench.json');

function series(end: number): Parameters<(typeof support)['createTsdb']>[0] {
  const start = end - DAYS * 24 * 60 * MINUTE;
  const definitions: Parameters<(typeof support)['createTsdb']>[0] = [];
  for (let service = 0; service < SERVICES; service++) {
    for (let instance = 0; instance < INSTANCES; instance++) {
      const perMinute = 100 + 10 * instance;
      const errorsPerMinute = (service + 1) * 0.05 * (1 + (instance % 3));
      for (const [code, rate] of [
        ['200', perMinute - errorsPerMinute],
        ['500', errorsPerMinute],
      ] as const) {
        definitions.push({
          metric: 'http_requests_total',
          labels: { service: `svc-${service}`, instance: `i-${instance}`, code },
          startMs: start,
          endMs: end,
          stepMs: MINUTE,
          value: (time) => 1000 + Math.round(((time - start) / MINUTE) * rate * 100) / 100,
        });
      }
    }
  }
  return definitions;
}

async function tsdb(): Promise<{ dir: string; end: number; built?: number }> {
  if (process.env.BENCH_FRESH !== '1' && existsSync(marker)) {
    return { dir: cache, end: JSON.parse(readFileSync(marker, 'utf8')).end };
  }
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  const end = Math.floor(Date.now() / MINUTE) * MINUTE - MINUTE;
  const started = Date.now();
  await support.createTsdb(series(end), cache);
  // Let Prometheus compact the 2h blocks once, as a long-running server would have, so the timed runs
  // do not compete with compaction.
  const prometheus = await support.servePrometheus(cache);
  // Compaction starts on Prometheus' one-minute tick; done when the block count holds still for 30 s.
  let blocks = -1;
  let still = 0;
  for (let waited = 0; waited < 15 * 60_000 && (waited < 90_000 || still < 30_000); waited += 10_000) {
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const count = readdirSync(cache).filter((name) => /^[0-9A-Z]{26}$/.test(name)).length;
    still = count === blocks ? still + 10_000 : 0;
    blocks = count;
  }
  console.log(`compacted into ${blocks} blocks`);
  await prometheus.stop();
  writeFileSync(marker, JSON.stringify({ end }));
  return { dir: cache, end, built: Date.now() - started };
}

function gate(
  url: string,
  slos: string,
  time: string,
): Promise<{ wallMs: number; report: Record<string, unknown> }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [
        path.join(root, 'bin/gin-deploy'),
        'slo-gate',
        '--prometheus-url',
        url,
        '--slos',
        path.basename(slos),
        '--query-time',
        time,
        '--json',
      ],
      // The CLI's workspace is the folder it runs in, and the SLO file must lie inside it.
      { cwd: path.dirname(slos), maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const wallMs = Date.now() - started;
        const outputs = (() => {
          try {
            return JSON.parse(stdout.slice(stdout.indexOf('\n{') + 1, stdout.lastIndexOf('\n}') + 2));
          } catch {
            return {};
          }
        })();
        if (!outputs.report)
          return reject(new Error(`slo-gate failed: ${error?.message}\n${stdout}\n${stderr}`));
        resolve({ wallMs, report: JSON.parse(readFileSync(outputs.report, 'utf8')) });
      },
    );
  });
}

const { dir, end, built } = await tsdb();
if (built !== undefined)
  console.log(
    `built the TSDB (${SERVICES * INSTANCES * 2} series × ${DAYS} days at 1m) in ${(built / 1000).toFixed(1)} s`,
  );
const prometheus = await support.servePrometheus(dir);
const work = mkdtempSync(path.join(os.tmpdir(), 'slo-gate-bench-'));
try {
  // Three services' availability SLOs, each over its 50 series (25 instances × 2 codes) of the 200.
  const slos = path.join(work, 'slos.yaml');
  const slo = (service: number, objective: number) =>
    `  - { name: svc-${service}-availability, objective: ${objective}, total: 'http_requests_total{service="svc-${service}"}', errors: 'http_requests_total{service="svc-${service}",code="500"}' }`;
  writeFileSync(slos, ['window: 28d', 'slos:', slo(0, 99.9), slo(1, 99.5), slo(2, 99)].join('\n'));
  const time = new Date(end + 30_000).toISOString();
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

  // The yardstick, measured in the same run: one bare 28d increase() over one SLO's total series.
  const single: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = Date.now();
    const query = encodeURIComponent('sum(increase(http_requests_total{service="svc-0"}[28d]))');
    await (await fetch(`${prometheus.url}/api/v1/query?query=${query}&time=${(end + 30_000) / 1000}`)).json();
    single.push(Date.now() - started);
  }

  const runs = [];
  for (let run = 0; run < 5; run++) runs.push(await gate(prometheus.url, slos, time));
  const decide = runs.map((run) => run.report.decidedInMs as number);
  const step = runs.map((run) => run.report.durationMs as number);
  const walls = runs.map((run) => run.wallMs);
  const queries = runs[0].report.queries as { instant: number; range: number; metadata: number };
  // 28d + the burn-rate windows its period gives (1h, 5m, 6h, 30m, 1d, 2h, 3d): one query each.
  const windows = (runs[0].report.slos as { queries: unknown[] }[])[0].queries.length;
  const load = os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(', ');
  console.log(`machine: ${os.cpus().length} cores, load average ${load} (1, 5, 15 min)`);
  console.log(
    `decision: ${runs[0].report.decision}; ${queries.instant} instant queries for 3 SLIs × ${windows} windows → ${(queries.instant / (3 * windows)).toFixed(2)} per SLI and window (budget 1); ${queries.range} range queries for the charts, after the decision`,
  );
  console.log(
    `time to decide: median of 5 ${median(decide)} ms (${Math.min(...decide)}–${Math.max(...decide)} ms, first ${decide[0]} ms) → ${(median(decide) / 1000).toFixed(2)} of the 1 s budget`,
  );
  console.log(
    `yardstick, one bare 28d increase() over 50 series: median ${median(single)} ms → the gate decides in ${(median(decide) / median(single)).toFixed(2)}× that`,
  );
  console.log(
    `whole step: ${median(step)} ms with the charts; ${median(walls)} ms with Node start-up and the runner files`,
  );
} finally {
  await prometheus.stop();
  rmSync(work, { recursive: true, force: true });
}
