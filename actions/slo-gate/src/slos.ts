import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { optionalInput, UserError } from '@gin-deploy/action';
import { buildSlo, parseSloFile, type SloSpec } from '@gin-deploy/slo';

/** A path from an input, relative to the workspace, that must be a readable file. */
export function readInputFile(input: string, file: string): { path: string; text: string } {
  const full = path.resolve(process.env.GITHUB_WORKSPACE ?? process.cwd(), file);
  if (!existsSync(full))
    throw new UserError(`input '${input}': file '${file}' does not exist (looked at ${full})`);
  return { path: file, text: readFileSync(full, 'utf8') };
}

/** The SLOs to judge: from the `slos` file, or the one inline SLO. */
export function readSlos(): SloSpec[] {
  const file = optionalInput('slos');
  const window = optionalInput('window');
  const service = optionalInput('service');
  const inline = {
    objective: optionalInput('objective'),
    total: optionalInput('total-query'),
    good: optionalInput('good-query'),
    errors: optionalInput('error-query'),
    latency: optionalInput('latency-query'),
    threshold: optionalInput('threshold'),
  };
  if (file !== undefined) {
    const given = Object.entries(inline).filter(([, value]) => value !== undefined);
    if (given.length > 0) {
      throw new UserError(
        `input 'slos': a file replaces the inline SLO inputs; drop ${given.map(([key]) => key).join(', ')} or the file`,
      );
    }
    const { path: shown, text } = readInputFile('slos', file);
    return parseSloFile(text, shown, { window, service });
  }
  const names: Record<string, string> = {
    objective: 'objective',
    window: 'window',
    total: 'total-query',
    good: 'good-query',
    errors: 'error-query',
    latency: 'latency-query',
    threshold: 'threshold',
  };
  if (inline.objective === undefined) {
    throw new UserError(
      "input 'objective' is required without an 'slos' file; expected a percentage such as 99.9",
    );
  }
  return [
    buildSlo(
      { ...inline, window, service, name: optionalInput('name') ?? 'slo' },
      (field) => `input '${names[field] ?? field}'`,
      'inputs',
    ),
  ];
}
