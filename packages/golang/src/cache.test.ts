import { describe, expect, it } from '@jest/globals';
import { cacheServiceAvailable, goCachePlan, restoreGoCache, saveGoCache } from './cache.js';

const parts = {
  os: 'Linux',
  arch: 'X64',
  goVersion: 'go1.26.8',
  goSum: 'github.com/gin-gonic/gin v1.11.0 h1:abc=\n',
  targets: ['linux/arm64', 'linux/amd64'],
  paths: ['/gocache', '/gomod'],
};

describe('Go build cache', () => {
  it('keys by OS, Go version, go.sum and targets, falling back to less specific prefixes', () => {
    const plan = goCachePlan(parts);
    expect(plan.key).toMatch(/^gin-deploy-go-Linux-X64-go1\.26\.8-[0-9a-f]{16}-[0-9a-f]{8}$/);
    expect(plan.restoreKeys).toEqual([
      plan.key.slice(0, plan.key.lastIndexOf('-') + 1),
      'gin-deploy-go-Linux-X64-go1.26.8-',
    ]);
    expect(plan.paths).toEqual(['/gocache', '/gomod']);
    expect(goCachePlan({ ...parts, targets: ['linux/amd64', 'linux/arm64'] }).key).toBe(plan.key);
    expect(goCachePlan({ ...parts, targets: ['linux/amd64'] }).key).not.toBe(plan.key);
    expect(goCachePlan({ ...parts, goSum: parts.goSum + 'x' }).key).not.toBe(plan.key);
    expect(goCachePlan({ ...parts, goSum: undefined }).key).toContain('-nosum-');
  });

  it('uses the cache service only when the runner provides it', () => {
    expect(cacheServiceAvailable({})).toBe(false);
    expect(cacheServiceAvailable({ ACTIONS_CACHE_URL: 'https://c/' })).toBe(false);
    expect(cacheServiceAvailable({ ACTIONS_CACHE_URL: 'https://c/', ACTIONS_RUNTIME_TOKEN: 't' })).toBe(true);
    expect(
      cacheServiceAvailable({
        ACTIONS_CACHE_SERVICE_V2: 'true',
        ACTIONS_CACHE_URL: 'x',
        ACTIONS_RUNTIME_TOKEN: 't',
      }),
    ).toBe(false);
    expect(
      cacheServiceAvailable({
        ACTIONS_CACHE_SERVICE_V2: 'true',
        ACTIONS_RESULTS_URL: 'x',
        ACTIONS_RUNTIME_TOKEN: 't',
      }),
    ).toBe(true);
  });

  it('is a no-op outside GitHub that still reports the key', async () => {
    const saved = { ...process.env };
    for (const name of ['ACTIONS_CACHE_URL', 'ACTIONS_RESULTS_URL', 'ACTIONS_RUNTIME_TOKEN'])
      delete process.env[name];
    try {
      const plan = goCachePlan(parts);
      const restored = await restoreGoCache(plan);
      expect(restored).toEqual({ state: 'local', key: plan.key });
      expect(await saveGoCache(plan, restored)).toEqual({ state: 'local', key: plan.key });
    } finally {
      Object.assign(process.env, saved);
    }
  });
});
