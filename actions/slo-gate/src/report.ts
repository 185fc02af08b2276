import path from 'node:path';
import { runnerTempDir, writeFileAtomic } from '@gin-deploy/action';

/** Writes the JSON report in one step (a temporary file renamed into place) and returns its path. */
export function writeReport(report: object): string {
  const dir = runnerTempDir();
  const file = path.join(dir, `slo-gate-report-${Date.now()}-${process.pid}.json`);
  writeFileAtomic(file, JSON.stringify(report, null, 2) + '\n');
  return file;
}
