import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { goCachePlan, isExactKeyMatch, restoreGoCache, saveGoCache } from './cache.js';

const parts = {
  os: 'Linux',
  arch: 'X64',
  goVersion: 'go1.26.8',
  goSum: 'github.com/gin-gonic/gin v1.11.0 h1:abc=\n',
  targets: ['linux/arm64', 'linux/amd64'],
  compile: '[["-gcflags=all=-dwarf=false"],[],[],false,[]]',
  paths: ['/gocache', '/gomod'],
};

describe('Go build cache', () => {
  it('keys by OS, Go version, go.sum, targets and compile settings, falling back to less specific prefixes', () => {
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
    // Packages compiled with DWARF (an entry saved before the action dropped it) are another entry.
    const other = goCachePlan({ ...parts, compile: '[[],[],[],false,[]]' });
    expect(other.key).not.toBe(plan.key);
    expect(other.restoreKeys).toEqual(plan.restoreKeys);
  });

  it('recognises an exact hit as @actions/cache does: case-insensitive, accent-sensitive', () => {
    const key = goCachePlan(parts).key;
    expect(isExactKeyMatch(key, key)).toBe(true);
    expect(isExactKeyMatch(key, key.toLowerCase())).toBe(true);
    expect(isExactKeyMatch('key-e', 'key-é')).toBe(false);
    expect(isExactKeyMatch(key, key.slice(0, -1))).toBe(false);
    expect(isExactKeyMatch(key, undefined)).toBe(false);
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

  it('reports why @actions/cache did not save, not a guess', async () => {
    const saved = { ...process.env };
    const dir = mkdtempSync(path.join(os.tmpdir(), 'go-cache-'));
    const server = http.createServer((_request, response) => {
      response.writeHead(403, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: 'cache write denied: read-only token for this ref' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    Object.assign(process.env, { ACTIONS_CACHE_URL: `http://127.0.0.1:${port}/`, RUNNER_TEMP: dir });
    delete process.env.ACTIONS_CACHE_SERVICE_V2;
    try {
      writeFileSync(path.join(dir, 'entry'), 'x');
      const plan = { ...goCachePlan(parts), paths: [path.join(dir, 'entry')] };
      const outcome = await saveGoCache(plan, { state: 'miss', key: plan.key });
      expect(outcome.state).toBe('failed');
      expect(outcome.detail).toMatch(/^Failed to save: .*cache write denied: read-only token for this ref/);
    } finally {
      process.env = saved;
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
