import { formatDuration, UserError } from '@gin-deploy/action';
import type { SpecNode } from './spec-reader.js';
import { percentSlip } from './slo-fields.js';
import type { Budgeting, SloSpec } from './slo-spec.js';
import { CalendarError, checkCalendar, type CalendarUnit, type CalendarWindow } from './calendar.js';
import { buildSloAt, type SloFields } from './slo-fields.js';
import type { SloFileOptions } from './slo-file-options.js';

// What OpenSLO v1 and v1alpha share: objectives as fractions, budgeting methods, duration shorthands.

const SHORTHAND_MS: Record<string, number> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  M: 30 * 86_400_000,
  Q: 90 * 86_400_000,
  Y: 365 * 86_400_000,
};

/** An OpenSLO v1 duration shorthand (`28d`, `1M` = 30 days, `1Q` = 90, `1Y` = 365: its DurationShorthand). */
export function shorthandMs(node: SpecNode): number {
  return shorthandOf(node).ms;
}

/** The count and unit of a duration shorthand, and its length with a month of 30 days. */
export function shorthandOf(node: SpecNode): { count: number; unit: CalendarUnit; ms: number; text: string } {
  const text = node.string('a duration shorthand such as 28d or 1M');
  const match = /^(\d+)([mhdwMQY])$/.exec(text);
  if (!match || Number(match[1]) <= 0)
    throw node.fail('a duration shorthand such as 28d, 4w or 1M ([0-9]+[mhdwMQY])');
  const count = Number(match[1]);
  return { count, unit: match[2] as CalendarUnit, ms: count * SHORTHAND_MS[match[2]], text };
}

/**
 * The objective as the percentage string buildSlo takes, from `target` (a fraction) or `targetPercent`; a
 * target above 1 names the fraction it likely meant, a targetPercent below 1 gets a note.
 */
export function objectivePercent(objective: SpecNode): { percent: string; field: string; notes: string[] } {
  const target = objective.child('target');
  const targetPercent = objective.child('targetPercent');
  if (target.present === targetPercent.present)
    throw objective.fail('exactly one of target and targetPercent');
  if (target.present) {
    const value = target.optionalNumber('a fraction such as 0.999') as number;
    if (!(value > 0 && value < 1)) {
      const hint =
        value >= 1 && value < 100 ? `; did you mean ${Number((value / 100).toPrecision(12))}?` : '';
      throw new UserError(
        `${target.source}: at '${target.path}': '${value}' is not valid; expected a fraction greater than 0 and less than 1, such as 0.999${hint}`,
      );
    }
    return { percent: String(Number((value * 100).toPrecision(12))), field: target.path, notes: [] };
  }
  const value = targetPercent.optionalNumber('a percentage such as 99.9') as number;
  const slip = percentSlip(value, `${targetPercent.source}: at '${targetPercent.path}'`);
  return { percent: String(value), field: targetPercent.path, notes: slip ? [slip] : [] };
}

/** Occurrences, or Timeslices with the objective's timeSliceTarget and a slice length. */
export function budgetingOf(method: SpecNode, objective: SpecNode, sliceMs: number | undefined): Budgeting {
  const name = method.optionalString('Occurrences or Timeslices') ?? 'Occurrences';
  if (name === 'Occurrences') {
    for (const field of ['timeSliceTarget', 'timeSliceWindow']) {
      if (objective.child(field).present) {
        throw new UserError(
          `${objective.source}: at '${objective.child(field).path}': only used with budgetingMethod Timeslices, and this SLO budgets Occurrences`,
        );
      }
    }
    return { method: 'occurrences' };
  }
  if (name !== 'Timeslices') {
    throw method.fail(`Occurrences or Timeslices (${name} is not supported by slo-gate)`);
  }
  const target = objective.child('timeSliceTarget');
  const sliceTarget = target.optionalNumber('a fraction such as 0.95');
  if (sliceTarget === undefined || !(sliceTarget > 0 && sliceTarget <= 1)) {
    throw target.fail('a timeSliceTarget greater than 0 and at most 1 with budgetingMethod Timeslices');
  }
  if (sliceMs === undefined)
    throw objective
      .child('timeSliceWindow')
      .fail('a timeSliceWindow such as 1m with budgetingMethod Timeslices');
  return { method: 'timeslices', sliceMs, sliceTarget };
}

/** A threshold metric's comparison from the objective's `op` and `value`. */
export function thresholdOf(objective: SpecNode): { op: 'lt' | 'lte' | 'gt' | 'gte'; value: number } {
  const op = objective.child('op').string('an op: lt, lte, gt or gte');
  if (!['lt', 'lte', 'gt', 'gte'].includes(op)) throw objective.child('op').fail('an op: lt, lte, gt or gte');
  const value = objective.child('value').optionalNumber('the threshold value');
  if (value === undefined) throw objective.child('value').fail('the threshold value with a thresholdMetric');
  return { op: op as 'lt' | 'lte' | 'gt' | 'gte', value };
}

/**
 * The one time window of an SLO (`timeWindow` in v1, `timeWindows` in v1alpha), or undefined when the file sets
 * none and the `window` input gives the period. A window with `calendar` (or `isRolling: false`) is
 * calendar-aligned: its start time and zone are checked here, its period found at evaluation.
 */
export function timeWindowOf(
  node: SpecNode,
  windowGiven: boolean,
  fields: readonly string[],
  example: string,
): { window: SpecNode; calendar?: { startTime: string; timeZone: string } } | undefined {
  if (!node.present && windowGiven) return undefined;
  const windows = node.list(`a list with one time window, such as ${example}`);
  if (windows.length !== 1) throw node.fail('exactly one time window');
  const window = windows[0].record('a time window').only(fields);
  const rolling = window.child('isRolling').optionalBoolean();
  const calendar = window.child('calendar');
  if (!calendar.present) {
    if (rolling === false)
      throw calendar.fail('a calendar with startTime and timeZone with isRolling: false');
    return { window };
  }
  if (rolling === true) throw window.child('isRolling').fail('false (or nothing) beside a calendar');
  calendar.record('a calendar with startTime and timeZone').only(['startTime', 'timeZone']);
  const startTime = calendar.child('startTime').string('a start time such as 2026-01-01 00:00:00');
  const timeZone = calendar.child('timeZone').string('an IANA time zone name such as Europe/Paris');
  try {
    checkCalendar(startTime, timeZone);
  } catch (error) {
    if (error instanceof CalendarError) throw calendar.child(error.field).fail(error.expected);
    throw error;
  }
  return { window, calendar: { startTime, timeZone } };
}

/** An OpenSLO SLO's period: its length, and its calendar when calendar-aligned and not overridden. */
export interface OpenSloPeriod {
  windowMs: number;
  calendar?: CalendarWindow;
}

/** An SLO document of either version, as each of its objectives needs it. */
export interface OpenSloDocument {
  node: SpecNode;
  spec: SpecNode;
  name: string;
  objectives: number;
  /** `timeWindow` (v1) or `timeWindows` (v1alpha). */
  windowNode: SpecNode;
  period: OpenSloPeriod;
  options: SloFileOptions;
}

/** The objectives of an SLO document (at least one), with what each needs of the document. */
export function objectivesOf(
  document: Omit<OpenSloDocument, 'objectives'>,
  expected: string,
): { objectives: SpecNode[]; document: OpenSloDocument } {
  const objectives = document.spec.child('objectives').list(expected);
  if (objectives.length === 0) throw document.spec.child('objectives').fail('at least one objective');
  return { objectives, document: { ...document, objectives: objectives.length } };
}

/**
 * One SLO per objective, as both versions build it: named `<slo>/<displayName or number>` when there are
 * several, its target read by objectivePercent, the file's period unless the window input overrides it, and
 * errors placed at the objective, the time window or `sliNode` (where the queries were written).
 */
export function objectiveSlo(
  document: OpenSloDocument,
  objective: SpecNode,
  index: number,
  target: { percent: string; field: string; notes: string[] },
  sliNode: SpecNode,
  fields: Omit<SloFields, 'name' | 'objective' | 'objectiveWritten' | 'window' | 'calendar' | 'service'>,
): SloSpec {
  const { node, spec, name, windowNode, period, options } = document;
  const label = objective.child('displayName').optionalString('a name');
  return buildSloAt(
    {
      ...fields,
      name: document.objectives > 1 ? `${name}/${label ?? index + 1}` : name,
      objective: target.percent,
      objectiveWritten: 'fraction',
      window: options.window ?? formatDuration(period.windowMs),
      calendar: period.calendar,
      service: spec.child('service').optionalString('a service name') ?? options.service,
      notes: [...(fields.notes ?? []), ...target.notes],
    },
    (what) =>
      `${node.source}: at '${what === 'objective' ? target.field : what === 'window' ? windowNode.path : sliNode.path}'`,
    `${node.source}: ${node.path || 'SLO'} ${name}`,
  );
}

/** The period of a time window read by timeWindowOf; `calendarOf` reads its calendar's duration when it has one. */
export function periodOf(
  found: { calendar?: { startTime: string; timeZone: string } },
  windowMs: number,
  options: SloFileOptions,
  calendarOf: () => Pick<CalendarWindow, 'count' | 'unit' | 'duration'>,
): OpenSloPeriod {
  if (found.calendar === undefined || options.window !== undefined) return { windowMs };
  return { windowMs, calendar: { ...found.calendar, ...calendarOf() } };
}

export function isOpenSlo(root: SpecNode, version: 'openslo/v1' | 'openslo/v1alpha'): boolean {
  return root.child('apiVersion').value === version;
}
