/**
 * A rollout that cannot go ahead as asked. The subclasses say what was wrong in the rollout's own terms
 * (manifests, canary steps, a traffic router, a Lease); the action that runs the rollout says which of its
 * inputs that was.
 */
export class RolloutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The manifests cannot be read or do not hold what the strategy needs; the message names file and line. */
export class ManifestError extends RolloutError {}

/** Canary steps that do not rise to 100, or a pause between them that is not a duration. */
export class CanaryStepsError extends RolloutError {
  constructor(
    message: string,
    /** The pause text at fault, when it was a pause and not a step. */
    readonly pause?: string,
  ) {
    super(message);
  }
}

/** A container resources item that is not `[requests.|limits.]cpu|memory|ephemeral-storage=<quantity>`. */
export class ResourcesError extends RolloutError {
  constructor(readonly item: string) {
    super(`'${item}' is not a resource quantity`);
  }
}

/** Autoscaler bounds that do not make a HorizontalPodAutoscaler. */
export class AutoscaleError extends RolloutError {}

/** A capacity report without a recommendation for the autoscaler. */
export class CapacityReportError extends RolloutError {}

/** No container of the manifests' Deployments takes the new image. */
export class ContainerNotFoundError extends RolloutError {
  constructor(
    message: string,
    /** The container asked for by name, if one was. */
    readonly container: string | undefined,
  ) {
    super(message);
  }
}

/** promote or abort found no earlier paused rollout of the app to finish. */
export class NothingToFinishError extends RolloutError {
  constructor(
    message: string,
    readonly action: 'promote' | 'abort',
  ) {
    super(message);
  }
}

/** The router that sets exact canary weights is missing or does not reach the stable Service. */
export class TrafficRouterError extends RolloutError {
  constructor(
    message: string,
    readonly router: 'HTTPRoute' | 'Ingress',
  ) {
    super(message);
  }
}

/** A canary that runs behind exact weights was asked to finish without its router. */
export class RouterNeededError extends RolloutError {
  constructor(
    message: string,
    readonly action: 'promote' | 'abort',
  ) {
    super(message);
  }
}

/** Another rollout of the app holds its Lease, and the wait for it is over. */
export class LeaseHeldError extends RolloutError {
  constructor(
    message: string,
    readonly holder: string,
  ) {
    super(message);
  }
}
