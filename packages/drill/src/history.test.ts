import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appendHistory, compareWithHistory, readHistory, type HistoryEntry } from './history.js';

const entry = (score: number, app = 'prod/api'): HistoryEntry => ({
  at: '2026-01-01T00:00:00Z',
  app,
  fault: 'pod-kill 50%',
  result: 'pass',
  recoveryMs: 1000,
  worstAvailability: 0.5,
  score,
});

describe('drill history', () => {
  it('starts empty, appends, and refuses a file that is not a history', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'drill-history-'));
    const file = path.join(dir, 'sub', 'history.json');
    const first = appendHistory(file, readHistory(file), entry(80));
    appendHistory(file, first, entry(70));
    expect(readHistory(file).drills.map((d) => d.score)).toEqual([80, 70]);
    writeFileSync(path.join(dir, 'bad.json'), '{"runs": []}');
    expect(() => readHistory(path.join(dir, 'bad.json'))).toThrow(/has no "drills" list/);
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(1);
  });

  it('compares with the median of the app’s last N drills once there are three', () => {
    const history = { version: 1 as const, drills: [entry(90), entry(10, 'other/app'), entry(80)] };
    expect(compareWithHistory(history, 'prod/api', 20, { size: 5, margin: 10 })).toMatchObject({
      regressed: false,
      previous: [90, 80],
    });
    history.drills.push(entry(84), entry(60), entry(86));
    const worse = compareWithHistory(history, 'prod/api', 70, { size: 3, margin: 10 });
    expect(worse).toMatchObject({ previous: [84, 60, 86], median: 84, regressed: true });
    expect(worse.message).toBe(
      'health score 70 is 14 points below the median 84 of the last 3 drills (margin 10)',
    );
    expect(compareWithHistory(history, 'prod/api', 75, { size: 3, margin: 10 }).regressed).toBe(false);
  });
});
