import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runnerTempDir } from '@gin-deploy/action';

/** Writes the JSON report in one step (a temporary file renamed into place) and returns its path. */
export function writeReport(report: object): string {
  const dir = runnerTempDir();
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `slo-gate-report-${Date.now()}-${process.pid}.json`);
  writeFileSync(`${file}.partial`, JSON.stringify(report, null, 2) + '\n');
  renameSync(`${file}.partial`, file);
  return file;
}
