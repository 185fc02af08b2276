import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DrillError } from './errors.js';

/** One drill as kept in the history file. */
export interface HistoryEntry {
  /** RFC 3339 UTC. */
  at: string;
  /** `<namespace>/<deployment>`: drills are compared per app. */
  app: string;
  fault: string;
  result: 'pass' | 'fail';
  recoveryMs: number;
  worstAvailability: number;
  score: number;
  slo?: string;
  /** The run that made the drill, when there is one. */
  run?: string;
}

/** The history file: `{"version": 1, "drills": [...]}`, oldest first. */
export interface History {
  version: 1;
  drills: HistoryEntry[];
}

export function readHistory(file: string): History {
  if (!existsSync(file)) return { version: 1, drills: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DrillError(`drill history ${file} is not JSON: ${(error as Error).message}`);
  }
  const drills = (parsed as Partial<History>)?.drills;
  if (!Array.isArray(drills)) {
    throw new DrillError(`drill history ${file} is not a drill history: it has no "drills" list`);
  }
  return { version: 1, drills: drills as HistoryEntry[] };
}

export function appendHistory(file: string, history: History, entry: HistoryEntry): History {
  const next: History = { version: 1, drills: [...history.drills, entry] };
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, `${JSON.stringify(next, null, 2)}\n`);
  return next;
}

export interface HistoryComparison {
  /** Scores of the previous drills of the app compared with, oldest first. */
  previous: number[];
  median?: number;
  /** True when the score is more than `margin` points below the median. */
  regressed: boolean;
  message: string;
}

/** Fewer previous drills than this and a median says little; the comparison waits for more. */
export const MIN_HISTORY = 3;

/** Compares a score with the median of the app's previous `size` drills. */
export function compareWithHistory(
  history: History,
  app: string,
  score: number,
  options: { size: number; margin: number },
): HistoryComparison {
  const previous = history.drills
    .filter((entry) => entry.app === app && Number.isFinite(entry.score))
    .slice(-options.size)
    .map((entry) => entry.score);
  if (previous.length < MIN_HISTORY) {
    return {
      previous,
      regressed: false,
      message: `${previous.length} earlier drill(s) of ${app}; the score is compared once there are ${MIN_HISTORY}`,
    };
  }
  const sorted = [...previous].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  const regressed = score < median - options.margin;
  return {
    previous,
    median,
    regressed,
    message: regressed
      ? `health score ${score} is ${median - score} points below the median ${median} of the last ${previous.length} drills (margin ${options.margin})`
      : `health score ${score} is within ${options.margin} points of the median ${median} of the last ${previous.length} drills`,
  };
}
