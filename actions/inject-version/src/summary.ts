import { code, details, serialize, table, writeSummary, type OutputValue } from '@gin-deploy/action';
import type { SymbolCheck } from '@gin-deploy/golang/symbols';

export interface VersionSummary {
  outputs: Readonly<Record<string, OutputValue>>;
  checks: readonly SymbolCheck[];
  /** The notes of a release this run created. */
  notes?: string;
  shallow: boolean;
}

export function writeVersionSummary(summary: VersionSummary): void {
  const { outputs } = summary;
  const headline = outputs['is-release']
    ? `Release **${outputs.version}** (${outputs.tag})`
    : `Development build **${outputs.version}**, ${outputs['commits-since-tag']} commit(s) after ${outputs['previous-tag'] || 'the first commit'}`;
  writeSummary([
    '## inject-version',
    headline,
    table(
      ['output', 'value'],
      Object.entries(outputs).map(([name, value]) => [`\`${name}\``, serialize(value)]),
    ),
    `Build with:\n\n${code(`go build -ldflags "${serialize(outputs.ldflags)}"`, 'sh')}`,
    summary.checks.length > 0 &&
      table(
        ['-X variable', 'check'],
        summary.checks.map((check) => [
          `\`${check.symbol}\``,
          `${check.problem ? '⚠️' : '✅'} ${check.detail}`,
        ]),
      ),
    '> Go 1.24 and later also stamp the main module\u2019s version from git (`-buildvcs`, shown by ' +
      '`go version -m`); that stamp is separate from these variables, and the `-X` values above are what ' +
      'the binary reports.',
    summary.shallow && '> The checkout is shallow: use `fetch-depth: 0` so every tag and commit is visible.',
    summary.notes && details('Release notes', summary.notes),
  ]);
}
