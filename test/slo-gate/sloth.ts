// sloth v0.16.0 (installed by scripts/install-go-tools.sh) as the reference: its generated rules' expressions,
// evaluated by the same Prometheus, for comparison with slo-gate.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

export const slothBinary = path.join(
  process.env.GIN_DEPLOY_CACHE ?? path.join(os.homedir(), '.cache', 'gin-deploy'),
  'bin',
  'sloth',
);

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  labels?: Record<string, string>;
}

export interface SlothRules {
  /** The SLI error ratio expression per window (`1h` → `(sum(rate(...[1h]))) / (...)`), as sloth renders it. */
  errorRatio: Map<string, string>;
  /** The page and ticket alert expressions, their recording-rule selectors replaced by the rules' expressions. */
  page?: string;
  ticket?: string;
}

/** Runs `sloth generate` on a prometheus/v1 file and reads back the rules of each SLO, by sloth_slo name. */
export async function slothGenerate(input: string, output: string): Promise<Map<string, SlothRules>> {
  if (!existsSync(slothBinary))
    throw new Error(`${slothBinary} is missing: run 'make deps' (scripts/install-go-tools.sh)`);
  await new Promise<void>((resolve, reject) =>
    execFile(slothBinary, ['generate', '--no-log', '-i', input, '-o', output], (error, _stdout, stderr) =>
      error ? reject(new Error(`sloth generate failed: ${error.message}\n${stderr}`)) : resolve(),
    ),
  );
  const bySlo = new Map<string, SlothRules>();
  const groups = (parse(readFileSync(output, 'utf8')) as { groups: { rules: Rule[] }[] }).groups;
  const rules = groups.flatMap((group) => group.rules);
  for (const rule of rules) {
    const slo = rule.labels?.sloth_slo;
    const window = rule.labels?.sloth_window;
    if (rule.record === `slo:sli_error:ratio_rate${window}` && slo && window) {
      if (!bySlo.has(slo)) bySlo.set(slo, { errorRatio: new Map() });
      bySlo.get(slo)?.errorRatio.set(window, rule.expr.trim());
    }
  }
  for (const rule of rules.filter((entry) => entry.alert !== undefined)) {
    const slo = /sloth_slo="([^"]+)"/.exec(rule.expr)?.[1] ?? '';
    const entry = bySlo.get(slo);
    if (!entry) continue;
    // The alerts read recorded series; with no rule evaluation here, each selector becomes its rule's expression.
    const expr = rule.expr.replace(/slo:sli_error:ratio_rate(\w+)\{[^}]*\}/g, (_whole, window: string) => {
      const recorded = entry.errorRatio.get(window);
      if (!recorded) throw new Error(`sloth generated no ratio_rate${window} rule for ${slo}`);
      return `(${recorded})`;
    });
    entry[rule.labels?.sloth_severity === 'page' ? 'page' : 'ticket'] = expr;
  }
  return bySlo;
}
