import { formatDuration } from '@gin-deploy/action';
import type { SloSpec } from './slo-spec.js';

/** What is wrong with a calendar window: the field and what was expected there. */
export class CalendarError extends Error {
  constructor(
    readonly field: 'startTime' | 'timeZone',
    readonly value: string,
    readonly expected: string,
  ) {
    super(`${field} '${value}' is not valid; expected ${expected}`);
    this.name = 'CalendarError';
  }
}

/** Fixed lengths (m, h) step in elapsed time; days and weeks by the zone's wall clock; M, Q, Y by its months. */
export type CalendarUnit = 'm' | 'h' | 'd' | 'w' | 'M' | 'Q' | 'Y';

/**
 * An OpenSLO calendar-aligned time window: periods of `count` × `unit` that start at `startTime` on the wall
 * clock of `timeZone` and follow one another from there (earlier periods too, when startTime is ahead).
 */
export interface CalendarWindow {
  count: number;
  unit: CalendarUnit;
  /** As written, `2026-01-01 00:00:00`: a wall-clock time with no zone. */
  startTime: string;
  /** An IANA zone name, as written. */
  timeZone: string;
  /** The duration as written (`1M`). */
  duration: string;
}

export interface CalendarPeriod {
  start: Date;
  end: Date;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const START_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const MINUTE = 60_000;
const DAY = 86_400_000;

/** Checks the start time and the zone, so a bad one is refused when the file is read, not at evaluation. */
export function checkCalendar(startTime: string, timeZone: string): void {
  zoneFormat(timeZone);
  wallClockOf(startTime);
}

/** The calendar period that holds `time`: the last period start at or before it, and the next one. */
export function calendarPeriod(window: CalendarWindow, time: Date): CalendarPeriod {
  const startOf = periodStarts(window);
  const at = time.getTime();
  const first = startOf(0);
  const typical = nominalMs(window);
  let index = Math.floor((at - first) / typical);
  while (startOf(index) > at) index--;
  while (startOf(index + 1) <= at) index++;
  return { start: new Date(startOf(index)), end: new Date(startOf(index + 1)) };
}

/** The length of a period as the duration shorthand reads it (1M = 30 days), for estimates only. */
function nominalMs(window: CalendarWindow): number {
  const unit = { m: MINUTE, h: 60 * MINUTE, d: DAY, w: 7 * DAY, M: 30 * DAY, Q: 91 * DAY, Y: 365 * DAY };
  return window.count * unit[window.unit];
}

/** The start (unix ms) of the period `index` periods after the one starting at startTime. */
function periodStarts(window: CalendarWindow): (index: number) => number {
  const wall = wallClockOf(window.startTime);
  const zone = window.timeZone;
  const origin = instantOf(wall, zone);
  switch (window.unit) {
    case 'm':
    case 'h':
      return (index) => origin + index * nominalMs(window);
    case 'd':
    case 'w': {
      const days = window.count * (window.unit === 'w' ? 7 : 1);
      return (index) => instantOf({ ...wall, day: wall.day + index * days }, zone);
    }
    default: {
      const months = window.count * { M: 1, Q: 3, Y: 12 }[window.unit];
      return (index) => instantOf(addMonths(wall, index * months), zone);
    }
  }
}

/** Months added on the wall clock; a day the month lacks (31 January + 1 month) is its last day. */
function addMonths(wall: WallClock, months: number): WallClock {
  const total = wall.year * 12 + (wall.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { ...wall, year, month, day: Math.min(wall.day, last) };
}

function wallClockOf(text: string): WallClock {
  const match = START_TIME.exec(text.trim());
  const expected = 'a date and time without a zone, such as 2026-01-01 00:00:00';
  if (!match) throw new CalendarError('startTime', text, expected);
  const [year, month, day, hour = 0, minute = 0, second = 0] = match
    .slice(1)
    .map((part) => Number(part ?? 0));
  const utc = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59)
    throw new CalendarError('startTime', text, expected);
  return { year, month, day, hour, minute, second };
}

const formats = new Map<string, Intl.DateTimeFormat>();

function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new CalendarError('timeZone', timeZone, 'an IANA time zone name such as Europe/Paris or UTC');
    }
    formats.set(timeZone, format);
  }
  return format;
}

/** How far the zone's wall clock is ahead of UTC at an instant (ms). */
function offsetAt(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(
    zoneFormat(timeZone)
      .formatToParts(new Date(instant))
      .map((part) => [part.type, Number(part.value)]),
  );
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall-clock time names in a zone. A time the clocks skip (a spring-forward gap) is read with the
 * offset before the change, so it lands just after the gap; a time that happens twice is its first occurrence.
 */
function instantOf(wall: WallClock, timeZone: string): number {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  const before = offsetAt(asUtc - DAY, timeZone);
  const after = offsetAt(asUtc + DAY, timeZone);
  if (offsetAt(asUtc - before, timeZone) === before) return asUtc - before;
  if (offsetAt(asUtc - after, timeZone) === after) return asUtc - after;
  return asUtc - before;
}

/** Where a calendar SLO stands at an evaluation: its period, and the part of it the budget is judged over. */
export interface CalendarSpan {
  /** The duration as written (`1M`) and the zone the calendar runs in. */
  duration: string;
  timeZone: string;
  /** RFC 3339, UTC: the period that holds the evaluation time. */
  periodStart: string;
  periodEnd: string;
  /** From the period's start to the evaluation time. */
  elapsed: string;
  /** That span's share of the whole period. */
  fraction: number;
}

/**
 * The SLO as the gate judges it at `time`, with the period its burn-rate factors follow. A rolling SLO is as
 * written. A calendar SLO's window is the current period so far (its budget is judged over the events since
 * the period began, as a calendar budget is spent), and its period is that calendar period's true length.
 */
export function sloAt(slo: SloSpec, time: Date): { slo: SloSpec; periodMs: number; calendar?: CalendarSpan } {
  if (slo.calendar === undefined) return { slo, periodMs: slo.windowMs };
  const { start, end } = calendarPeriod(slo.calendar, time);
  // A window of 0 is no PromQL range; the very first second of a period has no events to judge anyway.
  const elapsedMs = Math.max(1000, time.getTime() - start.getTime());
  const periodMs = end.getTime() - start.getTime();
  return {
    slo: { ...slo, windowMs: elapsedMs },
    periodMs,
    calendar: {
      duration: slo.calendar.duration,
      timeZone: slo.calendar.timeZone,
      periodStart: start.toISOString(),
      periodEnd: end.toISOString(),
      elapsed: formatDuration(elapsedMs),
      fraction: elapsedMs / periodMs,
    },
  };
}
