// The CLI finds the actions it can run as the runner does (the root folders with an action.yml), so a new
// action is runnable and listed without editing a list.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ACTIONS, repoRoot } from '../support/action.js';

const cli = path.join(repoRoot, 'bin/gin-deploy');
const dir = mkdtempSync(path.join(os.tmpdir(), 'cli-actions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runCli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(cli, args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
}

describe('bin/gin-deploy finds the actions', () => {
  it("lists this repository's five actions and names them when the action is unknown", () => {
    expect(ACTIONS).toEqual([
      'docker-multistage',
      'go-cross-build',
      'inject-version',
      'k8s-rollout',
      'slo-gate',
    ]);
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain(`Actions: ${ACTIONS.join(', ')}\n`);
    const unknown = runCli(['inject-versoin']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain(
      `gin-deploy: unknown action 'inject-versoin'; expected one of ${ACTIONS.join(', ')}`,
    );
  });

  it('runs an action folder it was never told about, and ignores folders without an action.yml', () => {
    const root = path.join(dir, 'root');
    mkdirSync(path.join(root, 'hello'), { recursive: true });
    mkdirSync(path.join(root, 'docs'), { recursive: true });
    writeFileSync(
      path.join(root, 'hello', 'action.yml'),
      [
        'name: hello',
        'description: says hello',
        'inputs:',
        '  who: { description: whom to greet, required: true }',
        'outputs:',
        '  greeting: { description: the greeting }',
        'runs:',
        '  using: node24',
        '  main: index.mjs',
        '',
      ].join('\n'),
    );
    writeFileSync(
      path.join(root, 'hello', 'index.mjs'),
      "import { appendFileSync } from 'node:fs';\n" +
        'appendFileSync(process.env.GITHUB_OUTPUT, `greeting=hello ${process.env.INPUT_WHO}\\n`);\n',
    );
    const env = { GIN_DEPLOY_ROOT: root };
    expect(runCli(['--help'], env).stdout).toContain('Actions: hello\n');
    const run = runCli(['hello', '--who', 'gin'], env);
    expect([run.status, run.stdout]).toEqual([0, 'greeting=hello gin\n']);
  });
});
