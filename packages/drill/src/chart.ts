import { xyChart } from '@gin-deploy/action';
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
  return xyChart({
    title,
    labels: points.map((point) => point.label),
    axis: 'available (%)',
    top: 100,
    series: [{ kind: 'line', values: points.map((point) => point.value) }],
  });
}

/** The score of this drill after the earlier ones (bars) against the median they were compared with (line). */
export function scoreChart(
  title: string,
  scores: { label: string; score: number }[],
  median?: number,
): string {
  return xyChart({
    title,
    labels: scores.map((s) => s.label),
    axis: 'health score',
    top: 100,
    series: [
      { kind: 'bar', values: scores.map((s) => s.score) },
      ...(median === undefined ? [] : [{ kind: 'line' as const, values: scores.map(() => median) }]),
    ],
  });
}
