import { describe, expect, it } from '@jest/globals';
import { KubeApiError, KubeConnectionError } from '@gin-deploy/kube';
import { removeRetrying } from './cleanup.js';

const apiError = (status: number) =>
  new KubeApiError(`HTTP ${status}`, status, undefined, 'delete', 'x', 'k');

describe('cleanup', () => {
  it('retries an unreachable or failing API server, and counts 404 as removed', async () => {
    let calls = 0;
    await removeRetrying(async () => {
      calls++;
      if (calls === 1) throw new KubeConnectionError('ECONNREFUSED', 'k');
      if (calls === 2) throw apiError(503);
    });
    expect(calls).toBe(3);
    await expect(removeRetrying(() => Promise.reject(apiError(404)))).resolves.toBeUndefined();
  });

  it('does not retry a refusal that will not change', async () => {
    let calls = 0;
    await expect(
      removeRetrying(async () => {
        calls++;
        throw apiError(403);
      }),
    ).rejects.toThrow('HTTP 403');
    expect(calls).toBe(1);
  });
});
