import { availability, type AvailabilitySample } from './recovery.js';

const MAX_POINTS = 40;

/**
 * A Mermaid xychart-beta (GitHub renders it in job summaries): ready/desired in percent over the drill, the
 * worst value of each time slot so a short dip is never averaged away.
 */
export function availabilityChart(title: string, samples: AvailabilitySample[]): string {
  const during = samples.filter((sample) => sample.atMs >= 0);
  if (during.length === 0) return '';
  const end = during.at(-1)!.atMs;
  const slots = Math.min(MAX_POINTS, during.length);
  const slotMs = Math.max(1, end / slots);
  const points: { label: string; value: number }[] = [];
  for (let slot = 0; slot < slots; slot++) {
    const inSlot = during.filter(
      (sample) => sample.atMs >= slot * slotMs && (sample.atMs < (slot + 1) * slotMs || slot === slots - 1),
    );
    if (inSlot.length === 0) continue;
    points.push({
      label: `${((slot * slotMs) / 1000).toFixed(0)}s`,
      value: Math.round(Math.min(...inSlot.map(availability)) * 100),
    });
  }
  return xyChart(title, points, 'available (%)', 100);
}

/** The score of this drill after the earlier ones (bars) against the median they were compared with (line). */
export function scoreChart(
  title: string,
  scores: { label: string; score: number }[],
  median?: number,
): string {
  const chart = xyChart(
    title,
    scores.map((s) => ({ label: s.label, value: s.score })),
    'health score',
    100,
    'bar',
  );
  if (median === undefined) return chart;
  return chart.replace(/\n```$/, `\n  line [${scores.map(() => median).join(', ')}]\n\`\`\``);
}

function xyChart(
  title: string,
  points: { label: string; value: number }[],
  axis: string,
  top: number,
  kind: 'line' | 'bar' = 'line',
): string {
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${title.replace(/"/g, "'")}"`,
    `  x-axis [${points.map((point) => `"${point.label}"`).join(', ')}]`,
    `  y-axis "${axis}" 0 --> ${top}`,
    `  ${kind} [${points.map((point) => point.value).join(', ')}]`,
    '```',
  ].join('\n');
}
