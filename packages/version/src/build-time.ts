/** RFC 3339 in UTC, to the second: `2024-05-06T07:08:09Z`. */
export function rfc3339(unixSeconds: number): string {
  return new Date(Math.floor(unixSeconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

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
