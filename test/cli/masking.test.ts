// The CLI (bin/gin-deploy, used by `make demo`) shows a step's log the way the runner does: `::add-mask::`
// lines are taken in and never printed, and every masked value is `***` in the log, the summary and the outputs.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../support/action.js';
import { kubectl, startCluster, type Cluster } from '../support/cluster.js';

const cli = path.join(repoRoot, 'bin/gin-deploy');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cli-masking-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in `cwd`, which is also the step's workspace (as in `make demo`, the repository root). */
function runCli(args: string[], env: Record<string, string> = {}, cwd = repoRoot) {
  const summaryFile = path.join(dir, `summary-${Math.random().toString(36).slice(2)}.md`);
  const run = spawnSync(cli, [...args, '--summary-file', summaryFile], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  let summary = '';
  try {
    summary = readFileSync(summaryFile, 'utf8');
  } catch {
    // the CLI writes the summary only when the step wrote one
  }
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, summary };
}

describe('bin/gin-deploy masks like the runner', () => {
  it('hides a multi-line secret in the log, the summary and the outputs, line by line', () => {
    // A stand-in action folder (GIN_DEPLOY_ROOT) whose step prints the secret after masking it.
    const root = path.join(dir, 'root');
    mkdirSync(path.join(root, 'inject-version'), { recursive: true });
    writeFileSync(
      path.join(root, 'inject-version/action.yml'),
      'name: masking fixture\ndescription: prints a secret after masking it\nruns: { using: node24, main: step.mjs }\n',
    );
    writeFileSync(
      path.join(root, 'inject-version/step.mjs'),
      `import { appendFileSync } from 'node:fs';
const secret = 'first-secret-line\\nsecond-secret-line';
process.stdout.write('::add-mask::' + secret.replace(/\\n/g, '%0A') + '\\n');
console.log('whole: ' + secret);
console.error('second alone: second-secret-line');
appendFileSync(process.env.GITHUB_STEP_SUMMARY, 'summary has first-secret-line\\n');
appendFileSync(process.env.GITHUB_OUTPUT, 'token=second-secret-line\\n');
process.stdout.write('last line without newline: first-secret-line');
`,
    );
    const run = runCli(['inject-version'], { GIN_DEPLOY_ROOT: root });
    const everything = run.stdout + run.stderr + run.summary;
    expect(run.status).toBe(0);
    expect(everything).not.toMatch(/add-mask|first-secret-line|second-secret-line/);
    expect(run.stderr).toContain('whole: ***\n***');
    expect(run.stderr).toContain('second alone: ***');
    expect(run.stderr).toContain('last line without newline: ***');
    expect(run.summary).toBe('summary has ***\n');
    expect(run.stdout).toBe('token=***\n');
  });

  describe('against the test cluster', () => {
    let cluster: Cluster | undefined;
    beforeAll(async () => {
      cluster = await startCluster();
    }, 30 * 60_000);
    afterAll(() => cluster?.stop(), 120_000);

    it("the demo's k8s-rollout step with a client-key kubeconfig prints no key material", async () => {
      // The cluster's admin credentials embedded (client-key-data), as a kubeconfig secret usually holds them.
      const kubeconfig = path.join(dir, 'kubeconfig.yaml');
      writeFileSync(
        kubeconfig,
        await kubectl(cluster!.kubeconfig, ['config', 'view', '--raw', '--flatten', '--minify']),
      );
      const keyData = /client-key-data: (\S+)/.exec(readFileSync(kubeconfig, 'utf8'))?.[1] ?? '';
      const key = Buffer.from(keyData, 'base64').toString('utf8');
      expect(key).toContain('PRIVATE KEY-----');
      // The demo's manifests, without the node selector of the demo kubelet, so that KWOK's nodes run the pods.
      const manifest = readFileSync(path.join(repoRoot, 'test/demo/deploy/sample-api.yaml'), 'utf8');
      mkdirSync(path.join(dir, 'deploy'));
      writeFileSync(path.join(dir, 'deploy/sample-api.yaml'), manifest.replace(/^\s*nodeSelector:.*\n/m, ''));
      // Run from the folder holding them: manifests resolve inside the workspace.
      const run = runCli(
        [
          'k8s-rollout',
          '--json',
          '--kubeconfig',
          kubeconfig,
          '--manifests',
          'deploy',
          '--image',
          `127.0.0.1:5000/sample-api@sha256:${'a'.repeat(64)}`,
          '--strategy',
          'blue-green',
          '--ready-timeout',
          '20s',
          '--scale-down-delay',
          '0s',
        ],
        {},
        dir,
      );
      expect([run.status, (JSON.parse(run.stdout) as { status: string }).status]).toEqual([0, 'succeeded']);
      const everything = run.stdout + run.stderr + run.summary;
      expect(everything).not.toContain('add-mask');
      expect(everything).not.toContain(keyData);
      for (const line of key.split('\n').filter((text) => text.length > 20))
        expect(everything).not.toContain(line);
    });
  });
});
