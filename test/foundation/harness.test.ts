import { describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runAction } from '@gin-deploy/runner';
import { repoRoot, runtimeNode } from '../support/action.js';

const fixture = path.join(repoRoot, 'test/fixtures/harness-action');

describe('the runner harness', () => {
  it('round-trips outputs, env, state, path and summary through the runner files', async () => {
    const workspace = mkdtempSync(path.join(os.tmpdir(), 'ws-'));
    const run = await runAction({
      actionDir: fixture,
      node: runtimeNode(),
      inputs: { greeting: 'hello' },
      workspace,
      state: { carried: 'from pre' },
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      message: 'hello, world',
      multiline: 'line one\nline two',
      spaced: 'spaced default',
      flag: 'true',
      workspace,
      'state-in': 'from pre',
    });
    expect(run.exportedEnv).toEqual({ EXPORTED: 'from the step' });
    expect(run.state).toEqual({ carried: 'to the post step' });
    expect(run.addedPath).toEqual(['/opt/fixture/bin']);
    expect(run.summary).toContain('<h1>Fixture</h1>');
    expect(run.summary).toContain('<td>2</td>');
    expect(run.warnings).toEqual(['a warning']);
    expect(run.stdout).toContain('::add-mask::s3cret-value');
  });

  it('passes inputs as INPUT_<NAME>: upper-cased, spaces to underscores, hyphens kept', async () => {
    const run = await runAction({
      actionDir: fixture,
      node: runtimeNode(),
      inputs: { greeting: 'hi', 'with spaces': 'given', flag: 'false' },
    });
    expect(run.outputs.spaced).toBe('given');
    expect(run.outputs.flag).toBe('false');
  });

  it('reports a missing required input as the runner shows it', async () => {
    const run = await runAction({ actionDir: fixture, node: runtimeNode() });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual(['Input required and not supplied: greeting']);
  });

  it('does not leak the calling process’s INPUT_ and GITHUB_ variables into the step', async () => {
    process.env.INPUT_GREETING = 'leaked';
    try {
      const run = await runAction({ actionDir: fixture, node: runtimeNode() });
      expect(run.exitCode).toBe(1);
    } finally {
      delete process.env.INPUT_GREETING;
    }
  });
});
