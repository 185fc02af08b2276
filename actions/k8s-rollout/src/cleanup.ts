import { info, warning } from '@gin-deploy/action';
import { KubeClient } from '@gin-deploy/kube';
import { leaseName, releaseLease } from '@gin-deploy/rollout';
import { readConnection } from './settings.js';
import { heldLease } from './state.js';

/**
 * The post step (`post-if: always()`): when the main step was killed before it could release the app's
 * Lease, releases it, so the next deploy is not refused for the whole lease-timeout.
 */
export async function releaseLeftLease(): Promise<void> {
  const lease = heldLease();
  if (!lease) return;
  const client = new KubeClient(readConnection(), { retryForMs: 5000 });
  try {
    const name = `${lease.namespace}/${leaseName(lease.app)}`;
    if (await releaseLease(client, lease.namespace, lease.app, lease.holder))
      warning(`Lease ${name} was still held by this run (the rollout step was killed); released it`);
    else info(`Lease ${name} is not held by this run; nothing to release`);
  } finally {
    client.close();
  }
}
