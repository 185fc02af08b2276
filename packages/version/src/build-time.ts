import { rfc3339 } from '@gin-deploy/action/format';

/** `2024-05-06T07:08:09Z` → `20240506070809`. */
export function compactTimestamp(iso: string): string {
  return iso.replace(/[^0-9]/g, '').slice(0, 14);
}

export interface BuildTimeSources {
  /** Committer time of HEAD, Unix seconds. */
  commitTime: number;
  sourceDateEpoch?: number;
  nowMs: number;
}

/**
 * `commit` is reproducible: the same commit always gets the same time, and SOURCE_DATE_EPOCH, the
 * reproducible-builds.org convention, overrides it when a build system sets one. `now` is the wall clock.
 */
export function buildTime(mode: 'commit' | 'now', sources: BuildTimeSources): string {
  if (mode === 'now') return rfc3339(sources.nowMs / 1000);
  return rfc3339(sources.sourceDateEpoch ?? sources.commitTime);
}
