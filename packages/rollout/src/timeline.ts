import type { Deployment } from '@gin-deploy/kube';

export interface TimelineEvent {
  atMs: number;
  message: string;
}

export interface ReplicaSample {
  atMs: number;
  deployment: string;
  desired: number;
  updated: number;
  ready: number;
  available: number;
}

/** What happened during the rollout and when, relative to its start, for the log and the summary. */
export class Timeline {
  readonly events: TimelineEvent[] = [];
  readonly samples: ReplicaSample[] = [];
  readonly started = Date.now();

  constructor(private readonly log: (line: string) => void = () => undefined) {}

  elapsed(): number {
    return Date.now() - this.started;
  }

  add(message: string): void {
    const event = { atMs: this.elapsed(), message };
    this.events.push(event);
    this.log(`[${(event.atMs / 1000).toFixed(1)}s] ${message}`);
  }

  /** Keeps a sample when the counts changed since the last one of that Deployment. */
  sample(deployment: Deployment): void {
    const status = deployment.status ?? {};
    const sample: ReplicaSample = {
      atMs: this.elapsed(),
      deployment: deployment.metadata.name ?? '',
      desired: deployment.spec.replicas ?? 1,
      updated: status.updatedReplicas ?? 0,
      ready: status.readyReplicas ?? 0,
      available: status.availableReplicas ?? 0,
    };
    const last = [...this.samples].reverse().find((s) => s.deployment === sample.deployment);
    const same =
      last &&
      last.desired === sample.desired &&
      last.updated === sample.updated &&
      last.ready === sample.ready &&
      last.available === sample.available;
    if (!same) this.samples.push(sample);
  }
}
