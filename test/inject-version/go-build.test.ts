import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { splitGoArgs } from '@gin-deploy/version';
import { describeRun, repoRoot, runBundledAction } from '../support/action.js';
import { TempRepo } from '../support/git-repo.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const GO_ENV = { ...process.env, GOTOOLCHAIN: 'local' };

/** `go build -ldflags <ldflags>` as one argument, the way a workflow's `-ldflags "${{ … }}"` passes it. */
function build(dir: string, ldflags: string): string {
  const out = mkdtempSync(path.join(os.tmpdir(), 'iv-bin-'));
  made.push(out);
  const binary = path.join(out, 'app');
  // -buildvcs=true as on a runner (this machine's go env may turn it off), to see Go's own stamp beside ours.
  execFileSync('go', ['build', '-buildvcs=true', '-o', binary, '-ldflags', ldflags, '.'], {
    cwd: dir,
    env: GO_ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 240_000,
  });
  return binary;
}

async function versionOutputs(repo: TempRepo, inputs: Record<string, string> = {}) {
  const run = await runBundledAction('inject-version', {
    inputs: { 'working-directory': repo.dir, ...inputs },
    env: { SOURCE_DATE_EPOCH: undefined },
    workspace: repo.dir,
  });
  if (run.exitCode !== 0) throw new Error(describeRun(run));
  expect(run.warnings).toEqual([]);
  return run.outputs;
}

describe('the sample Gin service built with the ldflags output', () => {
  it('reports exactly the action’s version, commit and build time', async () => {
    const repo = TempRepo.fromFolder(path.join(repoRoot, 'test/fixtures/gin-service'));
    made.push(repo.dir);
    repo.commit('feat: the sample service');
    repo.tag('v1.4.0');
    const head = repo.commit('feat(api): a new endpoint');
    const outputs = await versionOutputs(repo, { 'go-package': '.' });
    expect(outputs.version).toBe(`1.5.0-dev.1+${head.slice(0, 7)}`);

    const binary = build(repo.dir, outputs.ldflags);
    const printed = JSON.parse(execFileSync(binary, ['-version'], { encoding: 'utf8' })) as unknown;
    expect(printed).toEqual({
      version: outputs.version,
      commit: outputs.commit,
      buildTime: outputs['build-time'],
    });
    expect(outputs.commit).toBe(head);

    // What the summary says about -buildvcs: Go stamps the module's VCS data as well, beside the -X values.
    const info = execFileSync('go', ['version', '-m', binary], { encoding: 'utf8', env: GO_ENV });
    expect(info).toContain(`vcs.revision=${head}`);
  }, 300_000);

  it('passes values with spaces and quotes through cmd/go’s -ldflags quoting', async () => {
    const repo = TempRepo.create();
    made.push(repo.dir);
    repo.write('go.mod', 'module example.com/quoting\n\ngo 1.22\n');
    repo.write(
      'main.go',
      [
        'package main',
        '',
        'import (',
        '\t"encoding/json"',
        '\t"os"',
        ')',
        '',
        'var (',
        '\tVersion, GitCommit, BuildTime string',
        '\tMotto                         = "none"',
        '\tNote                          string',
        ')',
        '',
        'func main() {',
        '\t_ = json.NewEncoder(os.Stdout).Encode([]string{Version, GitCommit, BuildTime, Motto, Note})',
        '}',
        '',
      ].join('\n'),
    );
    repo.commit('feat: quoting');
    repo.tag('v0.1.0');
    const motto = "ci runner's build, no. 7";
    const note = 'say "hi"  twice';
    const outputs = await versionOutputs(repo, { variables: `main.Motto=${motto}\nmain.Note=${note}` });
    expect(splitGoArgs(outputs.ldflags)).toEqual([
      '-X',
      'main.Version=0.1.0',
      '-X',
      `main.GitCommit=${outputs.commit}`,
      '-X',
      `main.BuildTime=${outputs['build-time']}`,
      '-X',
      `main.Motto=${motto}`,
      '-X',
      `main.Note=${note}`,
    ]);
    const printed = JSON.parse(
      execFileSync(build(repo.dir, outputs.ldflags), { encoding: 'utf8' }),
    ) as unknown;
    expect(printed).toEqual(['0.1.0', outputs.commit, outputs['build-time'], motto, note]);
  }, 120_000);
});
