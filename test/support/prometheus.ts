// Test support: a real Prometheus (Debian `prometheus`) over a TSDB backfilled from generated series.
// The history is written as OpenMetrics files and turned into blocks by
// `promtool tsdb create-blocks-from openmetrics`; Prometheus then serves them with an empty scrape config,
// so nothing is ever written to its head and blocks that reach up to "now" never overlap it.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { freePort } from './ports.js';
import os from 'node:os';
import path from 'node:path';

/** One series: explicit samples, or a value function sampled every stepMs over [startMs, endMs]. */
export type SeriesDefinition = {
  metric: string;
  labels?: Record<string, string>;
} & (
  | { samples: [timeMs: number, value: number][] }
  | { startMs: number; endMs: number; stepMs: number; value: (timeMs: number) => number | undefined }
);

export interface RunningPrometheus {
  /** http://127.0.0.1:<port> */
  url: string;
  dataDir: string;
  /** Stops Prometheus (SIGTERM, then SIGKILL after 10 s) and removes its files unless they were given. */
  stop(): Promise<void>;
}

// promtool cuts blocks of 2h aligned to the epoch and re-reads its input once per block, so one file per
// 2h keeps a month of history to a single pass.
const BLOCK_MS = 2 * 3600_000;

function* samplesOf(series: SeriesDefinition, fromMs: number, toMs: number): Generator<[number, number]> {
  if ('samples' in series) {
    for (const sample of series.samples) if (sample[0] >= fromMs && sample[0] < toMs) yield sample;
    return;
  }
  const first = Math.max(
    series.startMs,
    series.startMs + Math.ceil((fromMs - series.startMs) / series.stepMs) * series.stepMs,
  );
  for (let time = first; time <= series.endMs && time < toMs; time += series.stepMs) {
    const value = series.value(time);
    if (value !== undefined) yield [time, value];
  }
}

function timeRange(series: SeriesDefinition[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const entry of series) {
    if ('samples' in entry) {
      for (const [time] of entry.samples) {
        min = Math.min(min, time);
        max = Math.max(max, time);
      }
    } else {
      min = Math.min(min, entry.startMs);
      max = Math.max(max, entry.endMs);
    }
  }
  return [min, max];
}

function seriesName(series: SeriesDefinition): string {
  const labels = Object.entries(series.labels ?? {})
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(',');
  return `${series.metric}{${labels}}`;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function run(program: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${program} ${args.join(' ')}: ${error.message}\n${stderr}`));
      else resolve();
    });
  });
}

/** Writes the series as OpenMetrics, one file per 2h block, and turns them into TSDB blocks in dataDir. */
export async function createTsdb(series: SeriesDefinition[], dataDir: string): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'gin-deploy-openmetrics-'));
  try {
    const [min, max] = timeRange(series);
    const files: string[] = [];
    for (let from = Math.floor(min / BLOCK_MS) * BLOCK_MS; from <= max; from += BLOCK_MS) {
      const file = path.join(work, `${from}.om`);
      const out = createWriteStream(file);
      let lines = 0;
      for (const entry of series) {
        const name = seriesName(entry);
        let chunk = '';
        for (const [time, value] of samplesOf(entry, from, from + BLOCK_MS)) {
          // OpenMetrics timestamps are seconds.
          chunk += `${name} ${formatValue(value)} ${time / 1000}\n`;
          lines++;
          if (chunk.length > 1 << 16) {
            if (!out.write(chunk)) await once(out, 'drain');
            chunk = '';
          }
        }
        if (chunk && !out.write(chunk)) await once(out, 'drain');
      }
      out.end('# EOF\n');
      await once(out, 'finish');
      if (lines > 0) files.push(file);
      else rmSync(file);
    }
    // Two at a time: the machine is shared.
    for (let index = 0; index < files.length; index += 2) {
      await Promise.all(
        files
          .slice(index, index + 2)
          .map((file) =>
            run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '-q', file, dataDir], 120_000),
          ),
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Serves an existing TSDB directory; resolves once /-/ready answers 200 (bounded by readyTimeoutMs). */
export async function servePrometheus(
  dataDir: string,
  options: { readyTimeoutMs?: number; removeOnStop?: string[]; scrapeConfigs?: unknown[] } = {},
): Promise<RunningPrometheus> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'gin-deploy-prometheus-'));
  const config = path.join(work, 'prometheus.yml');
  // Scrape configs, when given, make it a live Prometheus (the drill tests scrape the demo kubelet's pods).
  writeFileSync(config, JSON.stringify({ global: {}, scrape_configs: options.scrapeConfigs ?? [] }));
  const log = path.join(work, 'prometheus.log');
  const port = await freePort();
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${config}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--storage.tsdb.path=${dataDir}`,
      // Retention counts back from the newest block; ten years keeps any generated history.
      '--storage.tsdb.retention.time=3650d',
    ],
    { stdio: ['ignore', openSync(log, 'a'), openSync(log, 'a')], detached: true },
  );
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      for (const dir of [work, ...(options.removeOnStop ?? [])])
        rmSync(dir, { recursive: true, force: true });
    })();
    return stopped;
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) {
      const text = readFileSync(log, 'utf8');
      await stop();
      throw new Error(`prometheus exited with ${child.exitCode} before it was ready:\n${text.slice(-2000)}`);
    }
    try {
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      const text = readFileSync(log, 'utf8');
      await stop();
      throw new Error(
        `prometheus was not ready within ${options.readyTimeoutMs ?? 60_000} ms:\n${text.slice(-2000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, dataDir, stop };
}

/** Backfills the series into a fresh TSDB and serves it on a free 127.0.0.1 port. */
export async function startPrometheus(series: SeriesDefinition[]): Promise<RunningPrometheus> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gin-deploy-tsdb-'));
  try {
    await createTsdb(series, dataDir);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return servePrometheus(dataDir, { removeOnStop: [dataDir] });
}
