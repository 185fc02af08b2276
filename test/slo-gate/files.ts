// SLO files written into a workspace and judged by the bundled slo-gate at the history's query time.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBundledAction } from '../support/action.js';
import { queryTime } from './history.js';

export function sloFiles(prometheusUrl: () => string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slo-files-'));
  return {
    dir,
    /** Writes the file (text, or lines joined) and returns its name relative to the workspace. */
    write(name: string, text: string | string[]): string {
      writeFileSync(path.join(dir, name), Array.isArray(text) ? text.join('\n') + '\n' : text);
      return name;
    },
    gate(file: string, extra: Record<string, string> = {}) {
      return runBundledAction('slo-gate', {
        workspace: dir,
        inputs: {
          'prometheus-url': prometheusUrl(),
          slos: file,
          'query-time': queryTime.toISOString(),
          ...extra,
        },
      });
    },
  };
}
