// Issue 14 through the bundled action: output-dir stays in the workspace (or the runner temp folder), the VCS
// stamp depends only on the source (not on the output folder or build order), and checksums: true|false mean
// what they say. Binaries are checked with `go version -m` and sha256.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ActionRun } from '@gin-deploy/runner';
import { describeRun, runBundledAction } from '../support/action.js';
import { TempRepo } from '../support/git-repo.js';

const TARGETS = ['linux/amd64', 'linux/arm64', 'linux/arm/v7'];

interface Artifact {
  platform: string;
  path: string;
  sha256: string;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

let repo: TempRepo;
let commit: string;

beforeAll(() => {
  repo = TempRepo.fromFolder(path.join(import.meta.dirname, '../fixtures/gin-service'));
  // An output folder that exists in the repository already, with a tracked file in it.
  repo.write('build/bin/README', 'binaries land here\n');
  commit = repo.commit('the sample service and its build folder');
});
afterAll(() => repo?.remove());

function build(inputs: Record<string, string>): Promise<ActionRun> {
  return runBundledAction('go-cross-build', {
    workspace: repo.dir,
    inputs: { buildvcs: 'true', cache: 'false', ...inputs },
  });
}

function artifactsOf(run: ActionRun): Artifact[] {
  if (run.exitCode !== 0) throw new Error(describeRun(run));
  return JSON.parse(run.outputs.artifacts) as Artifact[];
}

describe('go-cross-build writes only inside the workspace or the runner temp folder', () => {
  it.each(['../../../elsewhere', '/var/tmp/gin-deploy-elsewhere'])('refuses output-dir %s', async (dir) => {
    const result = await build({ targets: 'linux/amd64', 'output-dir': dir });
    expect([result.exitCode, result.errors.length]).toEqual([1, 1]);
    expect(result.errors[0]).toMatch(
      new RegExp(
        `^input 'output-dir': '${dir.replace(/[.*/]/g, '\\$&')}' resolves to .*, outside the workspace .* and the runner temp folder`,
      ),
    );
    expect(existsSync(path.resolve(repo.dir, dir))).toBe(false);
    expect(JSON.parse(result.outputs.json)).toEqual({
      artifacts: [],
      'output-dir': '',
      'cache-hit': false,
      'checksums-file': '',
      matrix: { include: [] },
    });
  });
});

describe('go-cross-build stamps builds by the source only', () => {
  let multi: Artifact[];

  beforeAll(async () => {
    multi = artifactsOf(
      await build({ targets: TARGETS.join(','), 'output-dir': 'build/bin', checksums: 'true' }),
    );
  }, 15 * 60_000);

  it('stamps every binary of a 3-target build into an existing in-repo folder vcs.modified=false', () => {
    expect(multi.map((a) => a.platform)).toEqual(['linux/amd64', 'linux/arm64', 'linux/arm/v7']);
    for (const artifact of multi) {
      const info = execFileSync('go', ['version', '-m', path.join(repo.dir, artifact.path)], {
        encoding: 'utf8',
      });
      expect([artifact.platform, info]).toEqual([
        artifact.platform,
        expect.stringContaining(`vcs.revision=${commit}`),
      ]);
      expect([artifact.platform, info]).toEqual([
        artifact.platform,
        expect.stringContaining('vcs.modified=false'),
      ]);
    }
    // The tracked file is untouched and the repository is clean for git as for Go.
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it(
    'gives the same bytes as single-target builds of the same commit',
    async () => {
      for (const target of TARGETS) {
        const [single] = artifactsOf(
          await build({
            targets: target,
            'output-dir': `single/${target.replace(/\//g, '-')}`,
            checksums: 'false',
          }),
        );
        const same = multi.find((a) => a.platform === single.platform)!;
        expect([target, sha256(path.join(repo.dir, single.path))]).toEqual([target, same.sha256]);
      }
    },
    15 * 60_000,
  );

  it(
    'checksums: true writes the default file name, and false writes none',
    async () => {
      expect(existsSync(path.join(repo.dir, 'build/bin/true'))).toBe(false);
      const sums = readFileSync(path.join(repo.dir, 'build/bin/sha256sums.txt'), 'utf8');
      for (const artifact of multi)
        expect(sums).toContain(`${artifact.sha256}  ${path.basename(artifact.path)}\n`);
      const none = await build({ targets: 'linux/amd64', 'output-dir': 'no-sums', checksums: 'false' });
      expect(none.outputs['checksums-file']).toBe('');
      expect(existsSync(path.join(repo.dir, 'no-sums/false'))).toBe(false);
      expect(existsSync(path.join(repo.dir, 'no-sums/sha256sums.txt'))).toBe(false);
    },
    5 * 60_000,
  );
});
