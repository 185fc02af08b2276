import {
  BUILTIN,
  isConflict,
  isNotFound,
  resourcePath,
  type ApiResource,
  type KubeClient,
  type Service,
} from '@gin-deploy/kube';
import { TrafficRouterError } from './errors.js';
import {
  canaryIngress,
  canaryService,
  weightedRules,
  type HttpRoute,
  type Ingress,
  type RouteWeight,
  type TrafficMode,
} from './traffic-objects.js';

const HTTPROUTES: ApiResource = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  name: 'httproutes',
  namespaced: true,
};
const INGRESSES: ApiResource = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  name: 'ingresses',
  namespaced: true,
};

export interface TrafficConfig {
  mode: TrafficMode;
  /** gateway-api: the HTTPRoute whose backendRefs are weighted. */
  route?: string;
  /** ingress-nginx: the stable Ingress the canary Ingress copies. */
  ingress?: string;
  /** The stable Service (the canary Service is `<app>-canary`). */
  service: string;
}

/** Sets exact canary weights at a router; the stable Service must then select only the stable track. */
export interface TrafficRouter {
  /** e.g. `HTTPRoute prod/api`, for the timeline and the summary. */
  readonly target: string;
  /** Throws TrafficRouterError when the router object is missing or does not reach the Service. */
  check(): Promise<void>;
  setWeight(weight: number): Promise<void>;
  /** All traffic to the stable Service, the canary out of the router. */
  promote(): Promise<void>;
}

export function trafficRouter(
  client: KubeClient,
  namespace: string,
  app: string,
  config: TrafficConfig,
): TrafficRouter | undefined {
  const services = { stable: config.service, canary: `${app}-canary`, namespace };
  if (config.mode === 'gateway-api' && config.route)
    return new GatewayRouter(client, namespace, config.route, services);
  if (config.mode === 'ingress-nginx' && config.ingress)
    return new NginxRouter(client, namespace, config.ingress, services);
  return undefined;
}

/** The canary Service `<app>-canary` beside `stable`, applied (created or updated). */
export async function applyCanaryService(
  client: KubeClient,
  stable: Service,
  app: string,
  trackLabel: string,
  canaryTrack: string,
): Promise<void> {
  const service = canaryService(stable, `${app}-canary`, trackLabel, canaryTrack);
  await client.apply(resourcePath(BUILTIN.services, service.metadata.namespace, `${app}-canary`), service);
}

class GatewayRouter implements TrafficRouter {
  readonly target: string;
  private readonly path: string;

  constructor(
    private readonly client: KubeClient,
    namespace: string,
    name: string,
    private readonly services: { stable: string; canary: string; namespace: string },
  ) {
    this.target = `HTTPRoute ${namespace}/${name}`;
    this.path = resourcePath(HTTPROUTES, namespace, name);
  }

  async check(): Promise<void> {
    weightedRules(await this.get(), this.services, 0);
  }

  setWeight(weight: number): Promise<void> {
    return this.write(weight);
  }

  promote(): Promise<void> {
    return this.write('promoted');
  }

  private async get(): Promise<HttpRoute> {
    try {
      return await this.client.get<HttpRoute>(this.path);
    } catch (error) {
      if (isNotFound(error))
        throw new TrafficRouterError(
          `${this.target} does not exist (or the Gateway API HTTPRoute CRD gateway.networking.k8s.io/v1 is not installed)`,
          'HTTPRoute',
        );
      throw error;
    }
  }

  /** Read-modify-write guarded by resourceVersion: a concurrent edit of the route is retried, never lost. */
  private async write(weight: RouteWeight): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const route = await this.get();
      const rules = weightedRules(route, this.services, weight);
      try {
        await this.client.mergePatch(this.path, {
          metadata: { resourceVersion: route.metadata?.resourceVersion },
          spec: { rules },
        });
        return;
      } catch (error) {
        if (!isConflict(error) || attempt >= 5) throw error;
      }
    }
  }
}

class NginxRouter implements TrafficRouter {
  readonly target: string;

  constructor(
    private readonly client: KubeClient,
    private readonly namespace: string,
    private readonly name: string,
    private readonly services: { stable: string; canary: string },
  ) {
    this.target = `Ingress ${namespace}/${name}-canary`;
  }

  async check(): Promise<void> {
    await this.canary(0);
  }

  async setWeight(weight: number): Promise<void> {
    const canary = await this.canary(weight);
    await this.client.apply(resourcePath(INGRESSES, this.namespace, canary.metadata?.name), canary);
  }

  async promote(): Promise<void> {
    try {
      await this.client.delete(resourcePath(INGRESSES, this.namespace, `${this.name}-canary`));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  private async canary(weight: number): Promise<Ingress> {
    let stable: Ingress;
    try {
      stable = await this.client.get<Ingress>(resourcePath(INGRESSES, this.namespace, this.name));
    } catch (error) {
      if (isNotFound(error))
        throw new TrafficRouterError(`Ingress ${this.namespace}/${this.name} does not exist`, 'Ingress');
      throw error;
    }
    return canaryIngress(stable, this.services, weight);
  }
}
