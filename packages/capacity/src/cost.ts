/** What one replica requests: CPU in cores, memory in bytes (a pod's container `resources.requests` summed). */
export interface ReplicaRequests {
  cpuCores: number;
  memoryBytes: number;
}

export interface CostOfChange {
  /** Replicas added (negative: removed) at the autoscaler's maximum. */
  replicas: number;
  cpuCores: number;
  memoryBytes: number;
}

/**
 * The requests reserved at full scale-out when `maxReplicas` moves from `from` to `to`: what the cluster must
 * be able to schedule for the HPA to reach its new maximum.
 */
export function costOfChange(from: number, to: number, requests: ReplicaRequests): CostOfChange {
  const replicas = to - from;
  return {
    replicas,
    cpuCores: replicas * requests.cpuCores,
    memoryBytes: replicas * requests.memoryBytes,
  };
}

/** 1.5 → `1.5 cores`; 805306368 → `768 MiB` (binary units, as requests are usually written). */
export function formatCores(cores: number): string {
  return `${Number(cores.toFixed(3))} core${Math.abs(cores) === 1 ? '' : 's'}`;
}

export { formatBytes } from '@gin-deploy/action/format';
