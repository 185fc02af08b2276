// The bundled action cross-builds the real sample Gin service (Gin from the Go module proxy, the machine's Go)
// as the runner runs it, and the binaries are checked by their headers, by running them, by sha256sum and tar,
// unzip and `go version -m`, and against a second build of the same commit.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sleep } from '@gin-deploy/action';
import { compileProcesses, defaultParallelism } from '@gin-deploy/golang';
import type { ActionRun } from '@gin-deploy/runner';
import { describeRun, runBundledAction } from '../support/action.js';
import { cancelStep, processesUsing, waitForProcess } from '../support/processes.js';
import { waitFor } from '../support/wait.js';
import { freePort } from '../support/ports.js';
import { FIRST_COMMIT_EPOCH, TempRepo } from '../support/git-repo.js';
import { readExecutableHeader } from './executables.js';
import { ProcessLog } from './process-log.js';

const TARGETS = ['linux/amd64', 'linux/arm64', 'darwin/arm64', 'windows/amd64'];
const MARKER = path.join(os.tmpdir(), `gin-deploy-ldflags-injected-${process.pid}`);
const LDFLAGS = `-X 'main.Version=1.2.3' -X 'main.GitCommit=$(touch ${MARKER})' -X 'main.BuildTime=x;touch ${MARKER};\`touch ${MARKER}\`'`;
const COMMIT_TIME = FIRST_COMMIT_EPOCH + 60;
const HOST = `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`;

interface Artifact {
  os: string;
  arch: string;
  variant: string;
  platform: string;
  path: string;
  sha256: string;
  size: number;
  archive: string;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

let repo: TempRepo;
let commit: string;
let first: ActionRun;
let artifacts: Artifact[];

function build(
  outputDir: string,
  extra: Record<string, string> = {},
  env: Record<string, string> = {},
): Promise<ActionRun> {
  return runBundledAction('go-cross-build', {
    workspace: repo.dir,
    inputs: {
      targets: TARGETS.join(','),
      'output-dir': outputDir,
      ldflags: LDFLAGS,
      archive: 'tar.gz',
      buildvcs: 'true',
      ...extra,
    },
    env,
  });
}

beforeAll(async () => {
  repo = TempRepo.fromFolder(path.join(import.meta.dirname, '../fixtures/gin-service'));
  commit = repo.commit('the sample service');
  first = await build('dist-a', { 'measure-strip': 'true' });
  if (first.exitCode !== 0) throw new Error(describeRun(first));
  artifacts = JSON.parse(first.outputs.artifacts) as Artifact[];
}, 15 * 60_000);

const cleanups: (() => void)[] = [];
afterAll(() => {
  repo?.remove();
  for (const cleanup of cleanups) cleanup();
});

describe('go-cross-build on the sample Gin service', () => {
  it('builds every target and describes each in the artifacts output', () => {
    expect(first.errors).toEqual([]);
    const dist = path.join(repo.dir, 'dist-a');
    expect(
      artifacts.map(({ os, arch, variant, platform, path, archive }) => ({
        os,
        arch,
        variant,
        platform,
        path,
        archive,
      })),
    ).toEqual([
      {
        os: 'linux',
        arch: 'amd64',
        variant: '',
        platform: 'linux/amd64',
        path: 'dist-a/sample-api-linux-amd64',
        archive: 'dist-a/sample-api-linux-amd64.tar.gz',
      },
      {
        os: 'linux',
        arch: 'arm64',
        variant: '',
        platform: 'linux/arm64',
        path: 'dist-a/sample-api-linux-arm64',
        archive: 'dist-a/sample-api-linux-arm64.tar.gz',
      },
      {
        os: 'darwin',
        arch: 'arm64',
        variant: '',
        platform: 'darwin/arm64',
        path: 'dist-a/sample-api-darwin-arm64',
        archive: 'dist-a/sample-api-darwin-arm64.tar.gz',
      },
      {
        os: 'windows',
        arch: 'amd64',
        variant: '',
        platform: 'windows/amd64',
        path: 'dist-a/sample-api-windows-amd64.exe',
        archive: 'dist-a/sample-api-windows-amd64.zip',
      },
    ]);
    for (const artifact of artifacts) {
      const file = path.join(repo.dir, artifact.path);
      expect([artifact.path, artifact.sha256, artifact.size]).toEqual([
        artifact.path,
        sha256(file),
        statSync(file).size,
      ]);
    }
    expect(first.outputs['output-dir']).toBe('dist-a');
    expect(first.outputs['checksums-file']).toBe('dist-a/sha256sums.txt');
    expect(JSON.parse(first.outputs.matrix)).toEqual({
      include: artifacts.map((a) => ({
        target: `${a.os}/${a.arch}`,
        os: a.os,
        arch: a.arch,
        variant: '',
        platform: a.platform,
        path: a.path,
      })),
    });
    expect(JSON.parse(first.outputs.json)).toEqual({
      artifacts,
      'output-dir': 'dist-a',
      'checksums-file': 'dist-a/sha256sums.txt',
      'cache-hit': false,
      matrix: JSON.parse(first.outputs.matrix),
    });
    expect(readdirSync(dist).sort()).toEqual(
      [
        '.gitignore',
        'sha256sums.txt',
        ...artifacts.flatMap((a) => [path.basename(a.path), path.basename(a.archive)]),
      ].sort(),
    );
  });

  it('writes binaries whose headers match the target, stripped of their symbol table', () => {
    const headers = artifacts.map((a) => readExecutableHeader(path.join(repo.dir, a.path)));
    expect(headers).toEqual([
      { format: 'ELF', bits: 64, arch: 'amd64', symbolTable: false },
      { format: 'ELF', bits: 64, arch: 'arm64', symbolTable: false },
      { format: 'Mach-O', bits: 64, arch: 'arm64' },
      { format: 'PE', bits: 64, arch: 'amd64' },
    ]);
    // `file`, an independent reader, agrees.
    const described = artifacts.map((a) =>
      execFileSync('file', ['-b', path.join(repo.dir, a.path)], { encoding: 'utf8' }),
    );
    expect(described[0]).toMatch(/^ELF 64-bit LSB executable, x86-64, .*statically linked.*, stripped/);
    expect(described[1]).toMatch(/^ELF 64-bit LSB executable, ARM aarch64, .*stripped/);
    expect(described[2]).toMatch(/^Mach-O 64-bit (arm64 )?executable(, arm64)?/);
    expect(described[3]).toMatch(/^PE32\+ executable.*x86-64/);
  });

  it('passes ldflags as one argument: the version is set and shell syntax stays text', () => {
    const host = artifacts.find((a) => `${a.os}/${a.arch}` === HOST);
    if (!host) throw new Error(`the host ${HOST} is not among the targets`);
    const printed = execFileSync(path.join(repo.dir, host.path), ['-version'], { encoding: 'utf8' });
    expect(JSON.parse(printed)).toEqual({
      version: '1.2.3',
      commit: `$(touch ${MARKER})`,
      buildTime: `x;touch ${MARKER};\`touch ${MARKER}\``,
    });
    expect(existsSync(MARKER)).toBe(false);
  });

  it('runs the host binary as a server that answers /ping', async () => {
    const host = artifacts.find((a) => `${a.os}/${a.arch}` === HOST)!;
    const port = await freePort();
    const server: ChildProcess = spawn(path.join(repo.dir, host.path), [], {
      env: { ...process.env, ADDR: `127.0.0.1:${port}` },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await listening(server, 15_000);
      // The service logs just before it binds the port, so a refused first connection is retried briefly.
      const ping = (attempt: number): Promise<Response> =>
        fetch(`http://127.0.0.1:${port}/ping`, { signal: AbortSignal.timeout(5000) }).catch(async (error) => {
          if (attempt >= 20) throw error;
          await sleep(50);
          return ping(attempt + 1);
        });
      const response = await ping(0);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ message: 'pong', version: '1.2.3' });
    } finally {
      server.kill('SIGTERM');
    }
  });

  it('stamps the commit into the build info, unmodified although dist-a is inside the checkout', () => {
    const info = execFileSync('go', ['version', '-m', path.join(repo.dir, artifacts[0].path)], {
      encoding: 'utf8',
    });
    expect(info).toContain(`vcs.revision=${commit}`);
    expect(info).toContain('vcs.modified=false');
    expect(info).toMatch(/build\s+-trimpath=true/);
    expect(info).toMatch(/build\s+CGO_ENABLED=0\n/);
  });

  it(
    'compiles no DWARF for the linker to drop, and all of it when ldflags turn -w off',
    async () => {
      const sections = (file: string) => execFileSync('readelf', ['-S', '-W', file], { encoding: 'utf8' });
      const buildInfo = (file: string) => execFileSync('go', ['version', '-m', file], { encoding: 'utf8' });
      const stripped = path.join(repo.dir, artifacts.find((a) => `${a.os}/${a.arch}` === HOST)!.path);
      expect(buildInfo(stripped)).toMatch(/build\s+-gcflags=all=-dwarf=false\n/);
      expect(sections(stripped)).not.toContain('.debug_info');

      const kept = await runBundledAction('go-cross-build', {
        workspace: repo.dir,
        inputs: {
          targets: HOST,
          'output-dir': 'dist-dwarf',
          ldflags: `${LDFLAGS} -w=false`,
          buildvcs: 'true',
        },
      });
      expect(kept.exitCode).toBe(0);
      const withDwarf = path.join(repo.dir, (JSON.parse(kept.outputs.artifacts) as Artifact[])[0].path);
      expect(buildInfo(withDwarf)).not.toContain('-gcflags');
      expect(sections(withDwarf)).toContain('.debug_info');
      expect(kept.summary).toContain(
        'Stripped (`-s`: no symbol table; DWARF kept, as ldflags turn `-w` off)',
      );
      expect(kept.summary).not.toContain('dwarf=false');

      // Not stripped by the action, but the caller's ldflags drop DWARF: the compiler is told as well.
      const own = await runBundledAction('go-cross-build', {
        workspace: repo.dir,
        inputs: { targets: HOST, 'output-dir': 'dist-own-w', ldflags: `${LDFLAGS} -w`, strip: 'false' },
      });
      expect(own.exitCode).toBe(0);
      const ownBinary = path.join(repo.dir, (JSON.parse(own.outputs.artifacts) as Artifact[])[0].path);
      expect(buildInfo(ownBinary)).toMatch(/build\s+-gcflags=all=-dwarf=false\n/);
      expect(sections(ownBinary)).not.toContain('.debug_info');
      expect(sections(ownBinary)).toContain('.symtab');
      expect(own.summary).toContain(
        'The linker drops DWARF (`-w` in ldflags), so the compiler generated none (`-gcflags=all=-dwarf=false`).',
      );
    },
    5 * 60_000,
  );

  it('writes a checksums file that sha256sum -c verifies, over binaries and archives', () => {
    const output = execFileSync('sha256sum', ['-c', 'sha256sums.txt'], {
      cwd: path.join(repo.dir, 'dist-a'),
      encoding: 'utf8',
    });
    const names = artifacts.flatMap((a) => [path.basename(a.path), path.basename(a.archive)]).sort();
    expect(output.trim().split('\n').sort()).toEqual(names.map((name) => `${name}: OK`).sort());
  });

  it('sets every file time to the commit time', () => {
    const dist = path.join(repo.dir, 'dist-a');
    for (const name of readdirSync(dist).filter((n) => n !== '.gitignore'))
      expect([name, statSync(path.join(dist, name)).mtimeMs]).toEqual([name, COMMIT_TIME * 1000]);
  });

  it('archives each binary under its plain name: tar.gz, and zip for windows', () => {
    // Outside the checkout: an untracked folder in it would mark the next build's VCS stamp as modified.
    const work = mkdtempSync(path.join(os.tmpdir(), 'gcb-unpacked-'));
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));
    const tarball = path.join(repo.dir, artifacts[1].archive);
    const listing = execFileSync('tar', ['-tvzf', tarball, '--numeric-owner', '--full-time'], {
      encoding: 'utf8',
    });
    expect(listing).toMatch(
      new RegExp(
        `^-rwxr-xr-x 0/0 +${artifacts[1].size} ${new Date(COMMIT_TIME * 1000).toISOString().slice(0, 19).replace('T', ' ')} sample-api\\n$`,
      ),
    );
    execFileSync('tar', ['-xzf', tarball, '-C', work]);
    expect(sha256(path.join(work, 'sample-api'))).toBe(artifacts[1].sha256);
    execFileSync('unzip', ['-q', path.join(repo.dir, artifacts[3].archive), '-d', work]);
    expect(sha256(path.join(work, 'sample-api.exe'))).toBe(artifacts[3].sha256);
  });

  it('summarises targets, sizes, sha256, build times, the strip saving and the cache key', () => {
    const summary = first.summary;
    expect(summary).toContain('### go-cross-build: 4 of 4 targets built');
    // The default concurrency follows the cores: one target per core, at most one per target, sharing them.
    const cpus = os.availableParallelism();
    const parallel = defaultParallelism(cpus, TARGETS.length);
    const processes = compileProcesses(cpus, parallel);
    expect(summary).toContain(
      `, ${parallel} at a time${processes ? ` (\`-p=${processes}\` each: the CPUs shared out)` : ''},`,
    );
    expect(summary).toContain('| target | status | binary | size | sha256 | archive | build time |');
    for (const artifact of artifacts) {
      const row = summary.split('\n').find((line) => line.startsWith(`| ${artifact.os}/${artifact.arch} |`));
      expect(row).toMatch(
        new RegExp(
          `✅ \\| \`${artifact.path}\` \\| [\\d.]+ MiB \\| \`${artifact.sha256}\` \\| .* \\| [\\d.]+ s \\|$`,
        ),
      );
    }
    expect(summary).toMatch(
      new RegExp(
        `Stripping \\(\`-s -w\`: no symbol table, no DWARF\\) saved [\\d.]+ MiB \\(\\d+%\\) on ${HOST}: [\\d.]+ MiB unstripped → [\\d.]+ MiB`,
      ),
    );
    expect(summary).toContain(
      `file times set to ${new Date(COMMIT_TIME * 1000).toISOString()} (the commit time)`,
    );
    expect(summary).toMatch(
      /Cache: no Actions cache service here \(not on GitHub\), nothing restored or saved; key `gin-deploy-go-Linux-X64-go[\d.]+-[0-9a-f]{16}-[0-9a-f]{8}`/,
    );
  });

  it(
    'gives byte-identical files when the same commit is built again, starting only the processes it needs',
    async () => {
      const log = new ProcessLog();
      cleanups.push(() => log.remove());
      const second = await build('dist-b', {}, { PATH: log.path });
      expect(second.exitCode).toBe(0);
      // One go build per target and no unstripped probe: without measure-strip the saving is not measured.
      // No go list either: the package's files say it is package main.
      const calls = log.calls();
      const builds = calls.filter((call) => call.startsWith('go build '));
      expect(builds).toHaveLength(TARGETS.length);
      // Go's own build ID stays (a hash of the inputs with -trimpath): the files below are still identical.
      const processes = compileProcesses(
        os.availableParallelism(),
        Math.min(os.availableParallelism(), TARGETS.length),
      );
      for (const call of builds)
        expect(call).toContain(
          `-ldflags=-s -w ${LDFLAGS} -gcflags=all=-dwarf=false${processes ? ` -p=${processes}` : ''}`,
        );
      expect(calls.filter((call) => !call.startsWith('go build ')).sort()).toEqual(
        [
          'go env -json GOVERSION GOHOSTOS GOHOSTARCH GOCACHE GOMODCACHE GOMOD GOFLAGS',
          'go tool dist list -json',
          'git log -1 --format=%ct HEAD',
          'git rev-parse --show-toplevel --git-path info/exclude',
        ].sort(),
      );
      expect(second.summary).not.toContain('Stripping');
      expect(second.summary).toContain(
        'Stripped (`-s -w`: no symbol table, no DWARF); `measure-strip: true` reports the size this saves. ' +
          'The compiler generated no DWARF either (`-gcflags=all=-dwarf=false`).',
      );
      const files = (dir: string) =>
        readdirSync(path.join(repo.dir, dir))
          .sort()
          .map((name) => [name, sha256(path.join(repo.dir, dir, name))]);
      expect(files('dist-b')).toEqual(files('dist-a'));
      expect(files('dist-a')).toHaveLength(10);
      expect(JSON.parse(second.outputs.artifacts).map((a: Artifact) => a.sha256)).toEqual(
        artifacts.map((a) => a.sha256),
      );
    },
    10 * 60_000,
  );

  it(
    'measures the strip saving on its target even when another target finishes first',
    async () => {
      // The host target's go build (and the probe's) start 3 s late, so linux/arm64 is done long before.
      const slow = mkdtempSync(path.join(os.tmpdir(), 'gin-deploy-slow-go-'));
      cleanups.push(() => rmSync(slow, { recursive: true, force: true }));
      const real = execFileSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' }).trim();
      writeFileSync(
        path.join(slow, 'go'),
        `#!/bin/sh\n[ "$1" = build ] && [ "$GOARCH" = ${HOST.split('/')[1]} ] && sleep 3\nexec '${real}' "$@"\n`,
        { mode: 0o755 },
      );
      const run = await build(
        'dist-probe',
        { targets: `${HOST},linux/arm64`, archive: 'none', 'measure-strip': 'true', parallel: '2' },
        { PATH: `${slow}${path.delimiter}${process.env.PATH}` },
      );
      expect(run.exitCode).toBe(0);
      expect(run.summary).toMatch(
        new RegExp(
          `Stripping \\(\`-s -w\`: no symbol table, no DWARF\\) saved [\\d.]+ MiB \\(\\d+%\\) on ${HOST}:`,
        ),
      );
    },
    10 * 60_000,
  );

  it(
    'gives the same bytes one target at a time, with Go’s own -p, as with the CPUs shared out',
    async () => {
      const log = new ProcessLog();
      cleanups.push(() => log.remove());
      const one = await build('dist-one', { parallel: '1' }, { PATH: log.path });
      expect(one.exitCode).toBe(0);
      for (const call of log.calls().filter((call) => call.startsWith('go build ')))
        expect(call).not.toMatch(/ -p=/);
      expect(one.summary).toContain(', 1 at a time,');
      expect(JSON.parse(one.outputs.artifacts).map((a: Artifact) => a.sha256)).toEqual(
        artifacts.map((a) => a.sha256),
      );
    },
    10 * 60_000,
  );

  it(
    'reads GOFLAGS as go build does, from a GOENV file the env input names, and says how many ran at once',
    async () => {
      const goenv = path.join(repo.dir, '..', `goenv-${process.pid}`);
      writeFileSync(goenv, 'GOFLAGS=-p=2\n');
      cleanups.push(() => rmSync(goenv, { force: true }));
      const log = new ProcessLog();
      cleanups.push(() => log.remove());
      const run = await build(
        'dist-goenv',
        { targets: `${HOST},linux/arm64`, archive: 'none', parallel: '4', env: `GOENV=${goenv}` },
        { PATH: log.path },
      );
      expect(run.exitCode).toBe(0);
      // GOFLAGS sets -p: the action adds none of its own, and 4 asked for is 2 at a time with 2 targets.
      const builds = log.calls().filter((call) => call.startsWith('go build '));
      expect(builds).toHaveLength(2);
      for (const call of builds) expect(call).not.toMatch(/ -p=/);
      expect(run.summary).toContain(', 2 at a time,');
    },
    10 * 60_000,
  );
});

describe('go-cross-build on a runner that keeps its tool cache', () => {
  // One runner folder for every run here, as on a self-hosted runner: its tool cache keeps the linked binaries.
  const runnerDir = mkdtempSync(path.join(os.tmpdir(), 'gin-deploy-kept-links-'));
  cleanups.push(() => rmSync(runnerDir, { recursive: true, force: true }));
  const hostBuild = (outputDir: string, ldflags = LDFLAGS, extra: Record<string, string> = {}) =>
    runBundledAction('go-cross-build', {
      workspace: repo.dir,
      runnerDir,
      inputs: { targets: HOST, 'output-dir': outputDir, ldflags, buildvcs: 'true', ...extra },
    });
  const store = path.join(runnerDir, 'tool-cache', 'gin-deploy', 'go-binaries');
  const kept = () =>
    readdirSync(store).flatMap((entry) =>
      readdirSync(path.join(store, entry)).map((name) => path.join(store, entry, name)),
    );
  const binaryOf = (run: ActionRun) => {
    const [artifact] = JSON.parse(run.outputs.artifacts) as Artifact[];
    return { file: path.join(repo.dir, artifact.path), sha256: artifact.sha256 };
  };
  const reusedLine = '1 of 1 targets not linked again';

  it(
    'does not link a target again while its inputs are unchanged, and links again when they change',
    async () => {
      const linked = await hostBuild('kept-1');
      expect(linked.exitCode).toBe(0);
      expect(linked.summary).not.toContain(reusedLine);
      const first = binaryOf(linked);
      expect(kept()).toEqual([expect.stringMatching(new RegExp(`/${first.sha256}$`))]);

      const reused = await hostBuild('kept-2');
      expect(reused.exitCode).toBe(0);
      expect(reused.summary).toContain(reusedLine);
      expect(reused.stdout).toContain('current: not linked again');
      const second = binaryOf(reused);
      expect(second.sha256).toBe(first.sha256);
      expect(sha256(second.file)).toBe(first.sha256);
      // The output is a file of its own: changing it in place (as strip or chmod do) changes neither the kept
      // binary nor the first run's output.
      expect(statSync(second.file).ino).not.toBe(statSync(kept()[0]).ino);
      appendFileSync(second.file, 'x');
      chmodSync(second.file, 0o600);
      expect(sha256(kept()[0])).toBe(first.sha256);
      expect(sha256(first.file)).toBe(first.sha256);
      expect(statSync(first.file).mode & 0o777).toBe(0o755);
      const again = await hostBuild('kept-2b');
      expect(again.summary).toContain(reusedLine);
      expect(sha256(binaryOf(again).file)).toBe(first.sha256);
      expect(statSync(binaryOf(again).file).mode & 0o777).toBe(0o755);

      const changed = await hostBuild('kept-3', `${LDFLAGS} -X main.Version=1.2.4`);
      expect(changed.exitCode).toBe(0);
      expect(changed.summary).not.toContain(reusedLine);
      const third = binaryOf(changed);
      expect(third.sha256).not.toBe(first.sha256);
      expect(sha256(third.file)).toBe(third.sha256);
      // One binary per target: the new link replaced the kept one.
      expect(kept()).toEqual([expect.stringMatching(new RegExp(`/${third.sha256}$`))]);
    },
    10 * 60_000,
  );

  it(
    'links again when the kept binary was changed after it was kept, though its build ID still matches',
    async () => {
      const [file] = kept();
      const before = path.basename(file);
      // A byte appended after the binary's end: the build ID Go reads is intact, the bytes are not what was built.
      appendFileSync(file, 'x');
      const run = await hostBuild('kept-4', `${LDFLAGS} -X main.Version=1.2.4`);
      expect(run.exitCode).toBe(0);
      expect(run.summary).not.toContain(reusedLine);
      const built = binaryOf(run);
      expect(built.sha256).toBe(before);
      expect(sha256(built.file)).toBe(before);
      expect(kept()).toEqual([expect.stringMatching(new RegExp(`/${before}$`))]);
      expect(sha256(kept()[0])).toBe(before);
    },
    10 * 60_000,
  );

  it(
    'links every target with cgo: the C linker is not covered by Go’s build ID',
    async () => {
      const before = kept();
      const run = await hostBuild('kept-cgo', LDFLAGS, { cgo: 'true' });
      expect(run.exitCode).toBe(0);
      expect(run.summary).toContain(
        'Every target linked: with cgo a C linker links, and Go’s build ID does not cover it, so no binary kept from an earlier build is used.',
      );
      expect(kept()).toEqual(before);
    },
    10 * 60_000,
  );

  it(
    'links every target with reuse-links: false',
    async () => {
      const run = await hostBuild('kept-5', `${LDFLAGS} -X main.Version=1.2.4`, { 'reuse-links': 'false' });
      expect(run.exitCode).toBe(0);
      expect(run.summary).toContain('Every target linked (`reuse-links: false`).');
      expect(run.summary).not.toContain(reusedLine);
      expect(run.stdout).not.toContain('not linked again');
    },
    10 * 60_000,
  );

  it(
    'when the job is cancelled mid-build: stops go build, leaves no binary at the output, writes the failure outputs',
    async () => {
      const keptBefore = kept().map((file) => [file, sha256(file)]);
      const name = readdirSync(path.join(repo.dir, 'kept-1')).find((file) => file !== '.gitignore')!;
      const output = path.join(repo.dir, 'kept-cancel', name);
      // An empty GOCACHE: go build compiles every package for tens of seconds, while the copy of the kept binary
      // it was offered sits at the output path. New -X values, so that copy is not current.
      const coldCache = mkdtempSync(path.join(os.tmpdir(), 'gin-deploy-cold-gocache-'));
      cleanups.push(() => rmSync(coldCache, { recursive: true, force: true }));
      let step: ChildProcess | undefined;
      const running = runBundledAction('go-cross-build', {
        workspace: repo.dir,
        runnerDir,
        inputs: {
          targets: HOST,
          'output-dir': 'kept-cancel',
          ldflags: `${LDFLAGS} -X main.Version=9.9.9`,
          buildvcs: 'true',
        },
        env: { GOCACHE: coldCache },
        onStart: (child) => (step = child),
      });
      await waitFor('the kept binary to be offered at the output path', 60_000, async () =>
        existsSync(output) ? true : undefined,
      );
      await waitForProcess(coldCache, /\/compile /);
      const run = await cancelStep(step!, running);
      expect(run.errors).toEqual([
        `the job was cancelled (SIGINT): 1 of 1 targets failed: ${HOST} (cancelled: 'go build' was stopped)`,
      ]);
      expect(JSON.parse(run.outputs.artifacts)).toEqual([]);
      expect(run.outputs['checksums-file']).toBe('');
      expect(run.summary).toContain(
        '### go-cross-build cancelled (SIGINT): 0 of 1 targets built, 1 stopped or failed',
      );
      // Neither the offered binary (complete, but built from other inputs) nor a half-written one is left.
      expect(existsSync(output)).toBe(false);
      expect(readdirSync(path.join(repo.dir, 'kept-cancel'))).toEqual(['.gitignore']);
      expect(kept().map((file) => [file, sha256(file)])).toEqual(keptBefore);
      // go build and the compilers it started are gone with the step, not left compiling for a dead job.
      expect(processesUsing(coldCache)).toEqual([]);
    },
    5 * 60_000,
  );
});

/** Resolves when the service logs that it listens (its JSON log line), failing if it exits or stays silent. */
function listening(server: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(
      () => reject(new Error(`no "listening" log line within ${timeoutMs} ms: ${log}`)),
      timeoutMs,
    );
    server.stdout!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('"msg":"listening"')) {
        clearTimeout(timer);
        resolve();
      }
    });
    server.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the service exited with ${code}: ${log}`));
    });
  });
}

describe('go-cross-build options', () => {
  let other: TempRepo;
  let result: ActionRun;
  beforeAll(async () => {
    other = TempRepo.create();
    cpSync(path.join(import.meta.dirname, '../fixtures/gin-service'), path.join(other.dir, 'svc'), {
      recursive: true,
    });
    other.commit('the service in a folder');
    result = await runBundledAction('go-cross-build', {
      workspace: other.dir,
      inputs: {
        'working-directory': 'svc',
        targets: 'linux/amd64/v1',
        'binary-name': 'api',
        'output-dir': 'out',
        'name-template': '{os}_{arch}{variant}/{name}{ext}',
        strip: 'false',
        reproducible: 'false',
        archive: 'zip',
        checksums: 'none',
        cache: 'false',
      },
    });
    if (result.exitCode !== 0) throw new Error(describeRun(result));
  }, 10 * 60_000);
  afterAll(() => other?.remove());

  it('builds in the working directory with the variant, the template, a zip and no checksums', () => {
    const [artifact] = JSON.parse(result.outputs.artifacts) as Artifact[];
    expect(artifact).toMatchObject({
      os: 'linux',
      arch: 'amd64',
      variant: 'v1',
      platform: 'linux/amd64',
      path: 'svc/out/linux_amd64v1/api',
      archive: 'svc/out/linux_amd64v1/api.zip',
    });
    expect(result.outputs['output-dir']).toBe('svc/out');
    expect(result.outputs['checksums-file']).toBe('');
    expect(readdirSync(path.join(other.dir, 'svc/out')).sort()).toEqual(['.gitignore', 'linux_amd64v1']);
    expect(execFileSync('unzip', ['-Z1', path.join(other.dir, artifact.archive)], { encoding: 'utf8' })).toBe(
      'api\n',
    );
  });

  it('keeps the symbol table with strip: false, and the file time of the build with reproducible: false', () => {
    const file = path.join(other.dir, 'svc/out/linux_amd64v1/api');
    expect(readExecutableHeader(file)).toEqual({ format: 'ELF', bits: 64, arch: 'amd64', symbolTable: true });
    expect(statSync(file).mtimeMs).toBeGreaterThan(Date.now() - 10 * 60_000);
    expect(result.summary).not.toContain('Stripping');
    expect(result.summary).toContain('Not reproducible: `reproducible` is false');
    expect(result.summary).toContain('Cache: off (`cache: false`).');
    expect(execFileSync(file, ['-version'], { encoding: 'utf8' })).toContain('"version":"0.0.0-dev"');
  });
});
