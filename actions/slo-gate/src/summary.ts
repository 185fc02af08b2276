import { table } from '@gin-deploy/action';
import type { CanaryResult } from '@gin-deploy/slo';
import type { GateRun } from './gate.js';

const percent = (value: number | null, digits = 3) =>
  value === null ? 'no data' : `${Number((value * 100).toFixed(digits))}%`;
const number = (value: number | null) => (value === null ? 'n/a' : String(Number(value.toPrecision(4))));
const ICON = { pass: '✅ pass', warn: '⚠️ warn', fail: '❌ fail', inconclusive: '❔ inconclusive' } as const;

const day = (iso: string) => iso.replace(/T00:00:00\.000Z$/, '').replace(/:00\.000Z$/, 'Z');

/** The budget's window: a calendar SLO's period so far, with the data's span when it is shorter. */
function windowCell(slo: GateRun['slos'][number]): string {
  const data = slo.coverage?.partial ? ` (data: ${slo.coverage.span})` : '';
  if (!slo.calendar) return `${slo.window}${data}`;
  const { duration, timeZone, periodStart, periodEnd } = slo.calendar;
  return `${duration} calendar (${timeZone}): ${day(periodStart)} to ${day(periodEnd)}, judged over the ${slo.window} so far${data}`;
}

export function gateSummary(run: GateRun, reportPath: string): string[] {
  const rows = run.slos.map((slo) => [
    `${slo.name}${slo.key ? ' (key)' : ''}`,
    percent(slo.objective, 4),
    windowCell(slo),
    slo.invalid ? 'invalid value' : percent(slo.sli, 4),
    slo.invalid ? 'invalid value' : percent(slo.budgetRemaining, 2),
    slo.burnRatesNote ??
      slo.burnRates
        .map(
          (check) =>
            `${check.window}: ${number(check.long)} / ${number(check.short)} (≥ ${check.factor}${check.firing ? ' 🔥' : ''})`,
        )
        .join('<br>'),
    ICON[slo.verdict],
  ]);
  const reasons = run.slos.flatMap((slo) => slo.reasons.map((reason) => `- **${slo.name}**: ${reason}`));
  const notes = [...new Set(run.slos.flatMap((slo) => slo.notes))].map((note) => `- ⚠️ ${note}`);
  return [
    `## SLO gate: ${ICON[run.outcome.decision]}`,
    `${run.outcome.reason}; score ${run.outcome.score}.`,
    table(
      ['SLO', 'objective', 'window', 'SLI', 'budget remaining', 'burn rates long / short', 'verdict'],
      rows,
    ),
    reasons.length > 0 ? reasons.join('\n') : undefined,
    notes.length > 0 ? `Notes on the SLO files:\n${notes.join('\n')}` : undefined,
    ...run.slos.map((slo) =>
      slo.chart
        ? `### ${slo.name}: budget consumed over ${slo.window} (second line: an even pace)\n\n${slo.chart}`
        : undefined,
    ),
    `Report with every query: \`${reportPath}\``,
  ].filter((section): section is string => section !== undefined);
}

export function canarySummary(result: CanaryResult, decision: string, reportPath: string): string[] {
  return [
    `## Canary analysis: ${ICON[result.verdict]} (decision ${decision})`,
    table(
      ['check', 'canary', 'baseline', 'verdict', 'reason'],
      result.checks.map((check) => [
        check.name,
        number(check.canary),
        number(check.baseline),
        ICON[check.verdict],
        check.reason,
      ]),
    ),
    `Report with every query: \`${reportPath}\``,
  ];
}
