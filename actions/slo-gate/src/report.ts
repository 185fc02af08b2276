import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Writes the JSON report in one step (a temporary file renamed into place) and returns its path. */
export function writeReport(report: object): string {
  const dir = process.env.RUNNER_TEMP ?? os.tmpdir();
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `slo-gate-report-${Date.now()}-${process.pid}.json`);
  writeFileSync(`${file}.partial`, JSON.stringify(report, null, 2) + '\n');
  renameSync(`${file}.partial`, file);
  return file;
}
