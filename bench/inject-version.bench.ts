// Run by bench/inject-version.sh under Node 24, which strips the types.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = process.env.GIN_DEPLOY_ROOT ?? path.resolve(import.meta.dirname, '..');
const bundle = path.join(root, 'dist/inject-version/index.js');
const COMMITS = 5000;
const TAG_EVERY = 10;
const RUNS = 5;

/** A repository built with git fast-import: one file changed per commit, a release tag every 10 commits. */
function bigRepository(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'iv-bench-'));
  execFileSync('git', ['init', '--quiet', '--initial-branch=main', dir]);
  const stream: string[] = [];
  const types = ['feat', 'fix', 'chore', 'perf', 'docs'];
  for (let i = 1; i <= COMMITS; i++) {
    const message = `${types[i % types.length]}: change ${i}\n`;
    const content = `${i}\n`;
    stream.push(
      'commit refs/heads/main',
      `mark :${i}`,
      `committer Bench <bench@example.com> ${1_700_000_000 + i * 60} +0000`,
      `data ${Buffer.byteLength(message)}`,
      message,
      ...(i > 1 ? [`from :${i - 1}`] : []),
      'M 644 inline file.txt',
      `data ${Buffer.byteLength(content)}`,
      content,
    );
    if (i % TAG_EVERY === 0 && i < COMMITS) {
      stream.push(`reset refs/tags/v1.${Math.floor(i / 100)}.${(i / TAG_EVERY) % 10}`, `from :${i}`, '');
    }
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: stream.join('\n') + '\n' });
  execFileSync('git', ['checkout', '--quiet', 'main'], { cwd: dir });
  return dir;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeIt(fn: () => void): number {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(samples);
}

function runAction(dir: string, inputs: Record<string, string>): number {
  const runner = mkdtempSync(path.join(os.tmpdir(), 'iv-bench-runner-'));
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  for (const name of ['OUTPUT', 'ENV', 'STATE', 'PATH', 'STEP_SUMMARY']) {
    const file = path.join(runner, name);
    writeFileSync(file, '');
    env[`GITHUB_${name}`] = file;
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const result = spawnSync(process.execPath, [bundle], { cwd: dir, env, encoding: 'utf8' });
  rmSync(runner, { recursive: true, force: true });
  return result.status ?? 1;
}

function size(dir: string): number {
  return readdirSync(dir).reduce((total, name) => total + statSync(path.join(dir, name)).size, 0);
}

const repo = bigRepository();
try {
  const bare = timeIt(() => execFileSync(process.execPath, ['-e', '0']));
  const startup = timeIt(() => runAction(repo, { BUMP: 'sideways' }));
  const describe = timeIt(() => {
    for (const args of [
      ['describe', '--tags', '--long', '--dirty'],
      ['rev-parse', 'HEAD'],
      ['log', '-1', '--format=%ct'],
    ]) {
      execFileSync('git', args, { cwd: repo });
    }
  });
  const full = timeIt(() => {
    if (runAction(repo, { 'WORKING-DIRECTORY': repo }) !== 0) throw new Error('inject-version failed');
  });
  console.log(
    `repository: ${COMMITS} commits, ${Math.floor((COMMITS - 1) / TAG_EVERY)} release tags; median of ${RUNS}`,
  );
  console.log(
    `start-up to the first input error: ${startup.toFixed(0)} ms = ${(startup / bare).toFixed(2)}× node -e 0 (${bare.toFixed(0)} ms); budget 200 ms`,
  );
  console.log(
    `full run: ${full.toFixed(0)} ms = ${(full / describe).toFixed(2)}× git describe + rev-parse + log (${describe.toFixed(0)} ms)`,
  );
  console.log(`dist/inject-version: ${(size(path.join(root, 'dist/inject-version')) / 1024).toFixed(0)} KiB`);
} finally {
  rmSync(repo, { recursive: true, force: true });
}
