import { appendFileSync } from 'node:fs';
import * as core from '@actions/core';

/** Escapes a table cell: pipes split cells and newlines end the row. */
export function cell(value: unknown): string {
  return String(value ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
}

export function table(headers: string[], rows: unknown[][]): string {
  const head = `| ${headers.map(cell).join(' | ')} |`;
  const rule = `| ${headers.map(() => '---').join(' | ')} |`;
  const body = rows.map((row) => `| ${row.map(cell).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

export function code(text: string, language = ''): string {
  const fence = text.includes('```') ? '````' : '```';
  return `${fence}${language}\n${text}\n${fence}`;
}

/** One data series of an xychart: bars or a line, one value per x-axis label. */
export interface ChartSeries {
  kind: 'line' | 'bar';
  values: number[];
}

/**
 * A Mermaid xychart-beta block, which GitHub renders in job summaries: one x-axis label per value, a y axis
 * from 0 to `top`, and the series drawn in order (later ones on top).
 */
export function xyChart(chart: {
  title: string;
  labels: string[];
  axis: string;
  top: number;
  series: ChartSeries[];
}): string {
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${chart.title.replace(/"/g, "'")}"`,
    `  x-axis [${chart.labels.map((label) => `"${label}"`).join(', ')}]`,
    `  y-axis "${chart.axis}" 0 --> ${chart.top}`,
    ...chart.series.map((series) => `  ${series.kind} [${series.values.join(', ')}]`),
    '```',
  ].join('\n');
}

export function details(title: string, body: string): string {
  return `<details><summary>${title}</summary>\n\n${body}\n\n</details>`;
}

/** Appends Markdown to the job summary; outside a runner (no GITHUB_STEP_SUMMARY) it only logs that it skipped. */
export function writeSummary(sections: (string | undefined | false)[]): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  const markdown = sections.filter((section): section is string => Boolean(section)).join('\n\n') + '\n\n';
  if (!file) {
    core.debug('GITHUB_STEP_SUMMARY is not set; the job summary is not written');
    return;
  }
  appendFileSync(file, markdown);
}
