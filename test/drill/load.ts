// A bounded load loop for the drill tests: GET /ping at a fixed rate to the app's Ready pods (what a Service
// would route to), loopback addresses only, stopping at a fixed request count or time, whichever comes first.
import { renameSync, writeFileSync } from 'node:fs';
import { kubectl } from '../support/cluster.js';

export interface LoadResult {
  sent: number;
  ok: number;
  errors: number;
  /** Requests that found no Ready pod or no answer (connection refused while a pod was killed). */
  failed: number;
}

export interface LoadLoop {
  done: Promise<LoadResult>;
  stop(): void;
}

interface PodList {
  items: {
    metadata: { name: string; deletionTimestamp?: string };
    status: { podIP?: string; conditions?: { type: string; status: string }[] };
  }[];
}

export function startLoad(
  kubeconfig: string,
  namespace: string,
  app: string,
  options: { perSecond: number; maxRequests: number; maxMs: number },
): LoadLoop {
  let stopped = false;
  let endpoints: string[] = [];
  const result: LoadResult = { sent: 0, ok: 0, errors: 0, failed: 0 };
  const refresh = async () => {
    const pods = JSON.parse(
      await kubectl(kubeconfig, ['-n', namespace, 'get', 'pods', '-l', `app=${app}`, '-o', 'json']),
    ) as PodList;
    endpoints = pods.items
      .filter(
        (pod) =>
          !pod.metadata.deletionTimestamp &&
          pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      )
      .map((pod) => pod.status.podIP ?? '')
      .filter((ip) => {
        if (!/^127\.\d+\.\d+\.\d+$/.test(ip)) throw new Error(`pod IP ${ip} is not a loopback address`);
        return true;
      });
  };
  const done = (async () => {
    const started = Date.now();
    let lastRefresh = 0;
    const pending: Promise<void>[] = [];
    while (!stopped && result.sent < options.maxRequests && Date.now() - started < options.maxMs) {
      if (Date.now() - lastRefresh > 500) {
        await refresh().catch(() => undefined);
        lastRefresh = Date.now();
      }
      const ip = endpoints[result.sent % Math.max(1, endpoints.length)];
      result.sent++;
      if (!ip) result.failed++;
      else
        pending.push(
          fetch(`http://${ip}:8080/ping`, { signal: AbortSignal.timeout(2000) }).then(
            async (response) => {
              await response.arrayBuffer();
              if (response.status >= 500) result.errors++;
              else result.ok++;
            },
            () => {
              result.failed++;
            },
          ),
        );
      await new Promise((resolve) => setTimeout(resolve, 1000 / options.perSecond));
    }
    await Promise.all(pending);
    return result;
  })();
  return {
    done,
    stop() {
      stopped = true;
    },
  };
}

/**
 * Keeps a Prometheus file_sd file listing the app's running pods (Debian's Prometheus has no kubernetes_sd),
 * labelled with namespace, app and pod, rewritten every second until stopped.
 */
export function scrapeTargets(kubeconfig: string, namespace: string, app: string, file: string): () => void {
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      try {
        const pods = JSON.parse(
          await kubectl(kubeconfig, ['-n', namespace, 'get', 'pods', '-l', `app=${app}`, '-o', 'json']),
        ) as PodList;
        const targets = pods.items
          .filter((pod) => !pod.metadata.deletionTimestamp && pod.status.podIP)
          .map((pod) => ({
            targets: [`${pod.status.podIP}:8080`],
            labels: { namespace, app, pod: pod.metadata.name },
          }));
        writeFileSync(`${file}.tmp`, JSON.stringify(targets));
        renameSync(`${file}.tmp`, file);
      } catch {
        // The next round tries again.
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  void loop();
  return () => {
    stopped = true;
  };
}
