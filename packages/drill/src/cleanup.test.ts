import { describe, expect, it } from '@jest/globals';
import { KubeApiError } from '@gin-deploy/kube';
import { removeIfPresent } from './cleanup.js';

const apiError = (status: number) =>
  new KubeApiError(`HTTP ${status}`, status, undefined, 'delete', 'x', 'k');

describe('cleanup', () => {
  it('counts an object that is gone already (404) as removed', async () => {
    let calls = 0;
    await removeIfPresent(async () => {
      calls++;
    });
    expect(calls).toBe(1);
    await expect(removeIfPresent(() => Promise.reject(apiError(404)))).resolves.toBeUndefined();
  });

  it('passes on any other failure once: the kube client has retried what was worth retrying', async () => {
    let calls = 0;
    await expect(
      removeIfPresent(async () => {
        calls++;
        throw apiError(403);
      }),
    ).rejects.toThrow('HTTP 403');
    expect(calls).toBe(1);
  });
});
