/**
 * The default number of targets built at once, from the CPUs (`os.availableParallelism()`) and the number of
 * targets: one per core, never more than there are targets, always at least 1. A warm `go build` finds every
 * package in GOCACHE and spends most of its time in the link, which runs on about one core, so links of several
 * targets overlap well: on 2 cores, two targets at once took 0.67× the time of one after the other, warm. A cold
 * build compiles on every core; compileProcesses shares the cores out so that several at once do not pay for it.
 */
export function defaultParallelism(cpus: number, targets: number): number {
  return Math.max(1, Math.min(Math.floor(cpus), targets));
}

/**
 * The `-p` (packages compiled at once) of each `go build` when `concurrent` of them run at once: the CPUs shared
 * out, at least 1; undefined for a single build, which keeps Go's default of one per CPU. With that default,
 * two builds at once on 2 cores run twice as many compiles as there are cores, each with its own backend
 * threads (-c): a cold build of the sample service's two targets took 1.02–1.11× the time of one after the other;
 * with -p=1 each, 0.99×. Warm, -p=1 each took 0.67× the time of one after the other (0.64× with the default).
 */
export function compileProcesses(cpus: number, concurrent: number): number | undefined {
  if (concurrent <= 1) return undefined;
  return Math.max(1, Math.floor(Math.floor(cpus) / concurrent));
}
