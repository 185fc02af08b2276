import { retry } from '@gin-deploy/action';
import { isNotFound, KubeApiError, KubeConnectionError } from '@gin-deploy/kube';

/**
 * Deletes (or restores) what a drill put in the cluster, retrying an unreachable or overloaded API server a
 * few times within the runner's cancellation grace period; gone already (404) counts as done.
 */
export function removeRetrying(remove: () => Promise<unknown>): Promise<void> {
  return retry(
    () =>
      remove().then(
        () => undefined,
        (error: unknown) => {
          if (!isNotFound(error)) throw error;
        },
      ),
    {
      attempts: 4,
      isRetryable: (error) =>
        error instanceof KubeConnectionError ||
        (error instanceof KubeApiError && (error.status >= 500 || error.status === 429)),
    },
  );
}
