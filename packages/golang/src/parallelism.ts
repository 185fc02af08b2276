/**
 * The default number of targets built at once, from the CPUs (`os.availableParallelism()`) and the number of
 * targets: one per core, never more than there are targets, always at least 1. A warm `go build` finds every
 * package in GOCACHE and spends most of its time in the link, which runs on about one core; a cold one compiles
 * on every core (`-p`) but still ends in that serial link, which the next target's compile fills. Measured on 2
 * cores (bench/go-cross-build.sh): two targets at once took 0.67× the time of one after the other, warm.
 */
export function defaultParallelism(cpus: number, targets: number): number {
  return Math.max(1, Math.min(Math.floor(cpus), targets));
}
