import { describe, expect, it } from '@jest/globals';
import { CalendarError, calendarPeriod, checkCalendar, type CalendarWindow } from './calendar.js';

const window = (duration: string, startTime: string, timeZone: string): CalendarWindow => {
  const match = /^(\d+)([mhdwMQY])$/.exec(duration) as RegExpExecArray;
  return { count: Number(match[1]), unit: match[2] as CalendarWindow['unit'], startTime, timeZone, duration };
};
const period = (duration: string, startTime: string, timeZone: string, at: string) => {
  const { start, end } = calendarPeriod(window(duration, startTime, timeZone), new Date(at));
  return [start.toISOString(), end.toISOString()];
};

describe('calendar-aligned periods (OpenSLO isRolling: false)', () => {
  it('finds the month, the day and the quarter that hold a time, in the calendar’s zone', () => {
    expect(period('1M', '2026-01-01 00:00:00', 'UTC', '2026-11-30T08:00:00Z')).toEqual([
      '2026-11-01T00:00:00.000Z',
      '2026-12-01T00:00:00.000Z',
    ]);
    // Midnight in Kolkata (UTC+05:30) is 18:30 UTC the day before.
    expect(period('1d', '2020-01-01 00:00:00', 'Asia/Kolkata', '2026-11-30T08:00:00Z')).toEqual([
      '2026-11-29T18:30:00.000Z',
      '2026-11-30T18:30:00.000Z',
    ]);
    // Quarters from January in Paris: April 1st 00:00 CEST to July 1st 00:00 CEST.
    expect(period('1Q', '2026-01-01 00:00:00', 'Europe/Paris', '2026-05-15T12:00:00Z')).toEqual([
      '2026-03-31T22:00:00.000Z',
      '2026-06-30T22:00:00.000Z',
    ]);
    expect(period('1Y', '2020-01-01 00:00:00', 'UTC', '2026-11-30T08:00:00Z')).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
    ]);
  });

  it('keeps weeks on the start time’s weekday and wall-clock hour across a daylight-saving change', () => {
    // Mondays 06:00 in New York; clocks go back on Sunday 2026-11-01, so that week lasts 7 days and 1 hour.
    expect(period('1w', '2026-01-05 06:00:00', 'America/New_York', '2026-11-01T12:00:00Z')).toEqual([
      '2026-10-26T10:00:00.000Z',
      '2026-11-02T11:00:00.000Z',
    ]);
    expect(period('2w', '2026-01-05 06:00:00', 'America/New_York', '2026-11-04T12:00:00Z')).toEqual([
      '2026-10-26T10:00:00.000Z',
      '2026-11-09T11:00:00.000Z',
    ]);
  });

  it('ends a month started on the 31st on the last day of shorter months', () => {
    expect(period('1M', '2026-01-31 00:00:00', 'UTC', '2026-03-01T00:00:00Z')).toEqual([
      '2026-02-28T00:00:00.000Z',
      '2026-03-31T00:00:00.000Z',
    ]);
  });

  it('counts periods back from a start time in the future, and hours in elapsed time', () => {
    expect(period('1d', '2030-01-01 12:00:00', 'UTC', '2026-11-30T08:00:00Z')).toEqual([
      '2026-11-29T12:00:00.000Z',
      '2026-11-30T12:00:00.000Z',
    ]);
    // 6h from midnight CET (23:00 UTC): 05:00 UTC is 07:00 CEST on the wall clock, yet a period boundary.
    expect(period('6h', '2026-03-29 00:00:00', 'Europe/Paris', '2026-03-29T05:00:00Z')).toEqual([
      '2026-03-29T05:00:00.000Z',
      '2026-03-29T11:00:00.000Z',
    ]);
  });

  it('puts a start time the clocks skip just after the gap', () => {
    // 02:30 does not exist in Paris on 2026-03-29 (02:00 CET → 03:00 CEST): the day starts at 03:30 CEST.
    expect(period('1d', '2026-03-29 02:30:00', 'Europe/Paris', '2026-03-29T12:00:00Z')).toEqual([
      '2026-03-29T01:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
  });

  it.each([
    ['2026-13-01 00:00:00', 'UTC', 'startTime'],
    ['2026-02-30 00:00:00', 'UTC', 'startTime'],
    ['yesterday', 'UTC', 'startTime'],
    ['2026-01-01 00:00:00', 'Mars/Olympus', 'timeZone'],
  ])('refuses %s in %s, naming the field', (startTime, timeZone, field) => {
    expect(() => checkCalendar(startTime, timeZone)).toThrow(CalendarError);
    try {
      checkCalendar(startTime, timeZone);
    } catch (error) {
      expect((error as CalendarError).field).toBe(field);
    }
  });
});
