/**
 * Cores one `go build` keeps busy on its own: it compiles up to GOMAXPROCS packages at once (`-p`), so only its
 * mostly serial link leaves cores idle. Measured on the sample Gin service: on 2 cores, two targets at once were
 * 1.00–1.07× the time of one after the other and cost 3–10 % more CPU.
 */
export const CORES_PER_BUILD = 4;

/**
 * The default number of targets built at once, from the CPUs (`os.availableParallelism()`) and the number of
 * targets: one at a time until there are cores a single build leaves idle, never more than there are targets.
 * Always at least 1.
 */
export function defaultParallelism(cpus: number, targets: number): number {
  const byCores = Math.floor(cpus / CORES_PER_BUILD);
  return Math.max(1, Math.min(byCores, targets));
}
