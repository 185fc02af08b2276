import { rfc3339Micro, sleep } from '@gin-deploy/action';
import { BUILTIN, isConflict, isNotFound, KubeClient, resourcePath, type Lease } from '@gin-deploy/kube';
import { LeaseHeldError } from './errors.js';

export interface LeaseOptions {
  /** A lease not renewed for this long is stale and may be taken over. */
  durationMs: number;
  /** How long to wait for another rollout's lease before failing (0: fail at once). */
  waitMs: number;
  holder: string;
}

/** A held Lease (coordination.k8s.io/v1): renewed in the background until released. */
export interface HeldLease {
  takenOver?: string;
  release(): Promise<void>;
}

/** Takes the app's Lease so no other rollout of the same app runs at once; a stale lease is taken over. */
export async function acquireLease(
  client: KubeClient,
  namespace: string,
  app: string,
  options: LeaseOptions,
): Promise<HeldLease> {
  const name = leaseName(app);
  const collection = resourcePath(BUILTIN.leases, namespace);
  const path = resourcePath(BUILTIN.leases, namespace, name);
  const seconds = Math.max(1, Math.round(options.durationMs / 1000));
  const giveUpAt = Date.now() + options.waitMs;
  let takenOver: string | undefined;
  for (;;) {
    const now = rfc3339Micro();
    const spec = {
      holderIdentity: options.holder,
      leaseDurationSeconds: seconds,
      acquireTime: now,
      renewTime: now,
    };
    let current: Lease | undefined;
    try {
      current = await client.get<Lease>(path);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    try {
      if (!current) {
        await client.request('POST', collection, {
          body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec },
        });
        break;
      }
      const holder = current.spec?.holderIdentity;
      if (!holder || holder === options.holder || isStale(current)) {
        if (holder && holder !== options.holder) takenOver = holder;
        // The resourceVersion makes this a compare-and-swap: a rollout that took it meanwhile wins.
        await client.request('PUT', path, {
          body: {
            ...current,
            spec: { ...spec, leaseTransitions: (current.spec?.leaseTransitions ?? 0) + 1 },
          },
        });
        break;
      }
      if (Date.now() >= giveUpAt) {
        throw new LeaseHeldError(
          `another rollout of ${namespace}/${app} is in progress: Lease ${namespace}/${name} is held by '${holder}' since ${current.spec?.acquireTime ?? '?'} (renewed ${current.spec?.renewTime ?? '?'}, expires after ${current.spec?.leaseDurationSeconds ?? '?'} s without renewal)`,
          holder,
        );
      }
      await sleep(Math.min(1000, Math.max(0, giveUpAt - Date.now())));
    } catch (error) {
      if (!isConflict(error)) throw error;
      // Someone else created or updated it between our read and write: read again.
    }
  }
  const renew = setInterval(
    () => {
      const renewTime = rfc3339Micro();
      client.mergePatch(path, { spec: { renewTime } }).catch(() => undefined);
    },
    Math.max(1000, options.durationMs / 3),
  );
  renew.unref();
  return {
    takenOver,
    async release() {
      clearInterval(renew);
      await releaseLease(client, namespace, app, options.holder);
    },
  };
}

/** The Lease that serializes the rollouts of one app. */
export function leaseName(app: string): string {
  return `gin-deploy-${app}`.slice(0, 253);
}

/**
 * Deletes the app's Lease if `holder` still holds it (a precondition on its resourceVersion, so a rollout
 * that took it over meanwhile keeps it). Returns whether it deleted it; a Lease already gone is fine.
 */
export async function releaseLease(
  client: KubeClient,
  namespace: string,
  app: string,
  holder: string,
): Promise<boolean> {
  const path = resourcePath(BUILTIN.leases, namespace, leaseName(app));
  try {
    const current = await client.get<Lease>(path);
    if (current.spec?.holderIdentity !== holder) return false;
    await client.request('DELETE', path, {
      body: {
        kind: 'DeleteOptions',
        apiVersion: 'v1',
        preconditions: { resourceVersion: current.metadata.resourceVersion },
      },
    });
    return true;
  } catch (error) {
    if (!isNotFound(error) && !isConflict(error)) throw error;
    return false;
  }
}

export function isStale(lease: Lease, now = Date.now()): boolean {
  const renewed = Date.parse(lease.spec?.renewTime ?? lease.spec?.acquireTime ?? '');
  const seconds = lease.spec?.leaseDurationSeconds ?? 0;
  return !Number.isFinite(renewed) || now > renewed + seconds * 1000;
}
