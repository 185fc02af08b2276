import { isNotFound } from '@gin-deploy/kube';

/**
 * Deletes (or restores) what a drill put in the cluster; gone already (404) counts as done. An unreachable or
 * overloaded API server is the kube client's to retry, with backoff, for as long as the step may still take
 * (a few seconds once the job is cancelled).
 */
export async function removeIfPresent(remove: () => Promise<unknown>): Promise<void> {
  try {
    await remove();
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}
