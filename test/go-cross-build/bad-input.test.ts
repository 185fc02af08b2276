// Each bad input through the bundled action: the step fails with one clear line naming the input, before
// anything is written; a target that fails to compile fails the step after the others finish.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { STOP_DEADLINE_MS } from '@gin-deploy/action';
import type { ActionRun } from '@gin-deploy/runner';
import { describeRun, runBundledAction } from '../support/action.js';
import { TempRepo } from '../support/git-repo.js';
import { waitFor } from '../support/wait.js';
import { ProcessLog } from './process-log.js';

const FIXTURE = path.join(import.meta.dirname, '../fixtures/gin-service');
const GO_BIN = path.join(execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim(), 'bin');
const MARKER = path.join(os.tmpdir(), `gin-deploy-flags-injected-${process.pid}`);

let repo: TempRepo;
beforeAll(() => {
  repo = TempRepo.fromFolder(FIXTURE);
  repo.write('lib/lib.go', 'package lib\n\nconst Name = "lib"\n');
  repo.commit('the sample service and a library');
});
afterAll(() => repo?.remove());

function run(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  return runBundledAction('go-cross-build', { workspace: repo.dir, inputs, env });
}

/** Every declared output of a failed step: nothing built is handed on, and each still parses downstream. */
const FAILED_OUTPUTS = {
  artifacts: '[]',
  'output-dir': '',
  'cache-hit': 'false',
  'checksums-file': '',
  matrix: '{"include":[]}',
  json: JSON.stringify({
    artifacts: [],
    'output-dir': '',
    'cache-hit': false,
    'checksums-file': '',
    matrix: { include: [] },
  }),
};

/** The step failed with exactly one error line, wrote the failure outputs and a summary, and no output directory. */
function expectOneError(result: ActionRun, message: string | RegExp): void {
  expect(result.exitCode).toBe(1);
  expect(result.errors).toHaveLength(1);
  if (typeof message === 'string') expect(result.errors[0]).toBe(message);
  else expect(result.errors[0]).toMatch(message);
  expect(result.outputs).toEqual(FAILED_OUTPUTS);
  expect(result.summary).toBe(`### go-cross-build failed\n\n${result.errors[0]}\n\n`);
  expect(existsSync(path.join(repo.dir, 'dist'))).toBe(false);
}

describe('go-cross-build refuses bad input', () => {
  it.each(['', ' , \n '])('an empty target list %j', async (targets) => {
    expectOneError(
      await run({ targets }),
      "input 'targets': no targets given; expected os/arch[/variant] such as linux/amd64 or linux/arm/v7, or a preset: server, common, all",
    );
  });

  it('a pair that is not a Go port, listing the valid ones on one line', async () => {
    const result = await run({ targets: 'linux/amd64,linux/arm65' });
    expectOneError(
      result,
      /^input 'targets': 'linux\/arm65' is not a Go port; valid for linux: linux\/386, linux\/amd64, linux\/arm, linux\/arm64, .*linux\/riscv64, linux\/s390x; presets: server, common, all$/,
    );
  });

  it('a variant the architecture does not have, and a malformed target, before any process starts', async () => {
    const log = new ProcessLog();
    try {
      expectOneError(
        await run({ targets: 'linux/amd64/v9' }, { PATH: log.path }),
        "input 'targets': 'linux/amd64/v9' is not a GOAMD64 variant; valid: v1, v2, v3, v4",
      );
      expectOneError(
        await run({ targets: 'linux/amd64,linux' }, { PATH: log.path }),
        "input 'targets': 'linux' is not valid; expected os/arch[/variant] such as linux/amd64 or linux/arm/v7, or a preset: server, common, all",
      );
      expect(log.calls()).toEqual([]);
    } finally {
      log.remove();
    }
  });

  it('a package that is not a main package, and one that does not exist', async () => {
    expectOneError(
      await run({ package: './lib' }),
      "input 'package': './lib' is package lib, not a main package; expected a command such as . or ./cmd/api",
    );
    expectOneError(
      await run({ package: './missing' }),
      /^input 'package': '\.\/missing' is not a Go package in /,
    );
  });

  it('go missing from PATH, saying to use actions/setup-go', async () => {
    expectOneError(
      await run({}, { PATH: '/usr/bin:/bin' }),
      "'go' was not found on PATH; add a step with actions/setup-go before this one, or put the go command on PATH",
    );
  });

  it('an output directory that is a file', async () => {
    const file = path.join(repo.dir, 'out-file');
    writeFileSync(file, 'not a directory');
    try {
      expectOneError(
        await run({ 'output-dir': 'out-file' }),
        `input 'output-dir': '${file}' is a file; expected a directory (created when missing)`,
      );
    } finally {
      writeFileSync(file, '');
    }
  });

  it('cgo for a cross target without a C cross-compiler', async () => {
    expectOneError(
      await run({ targets: 'linux/arm64', cgo: 'true' }),
      /^input 'cgo': linux\/arm64 is a cross target and cgo needs a C cross-compiler for it; set CC in the env input/,
    );
  });

  it('upx asked for but not installed', async () => {
    expectOneError(
      await run({ upx: 'true' }, { PATH: `${GO_BIN}:/usr/bin:/bin` }),
      /^'upx' was not found on PATH; input 'upx' is true; install UPX/,
    );
  });

  it('a name template that gives two targets one file', async () => {
    expectOneError(
      await run({ targets: 'linux/amd64,linux/amd64/v3', 'name-template': '{name}-{os}-{arch}' }),
      "input 'name-template': '{name}-{os}-{arch}' gives 'sample-api-linux-amd64' for both linux/amd64 and linux/amd64/v3; add {os}, {arch} or {variant}",
    );
  });

  it('shell syntax in flags: refused as words, never run', async () => {
    expectOneError(
      await run({ flags: `-v; touch ${MARKER}` }),
      /^input 'flags': '-v;' is not a flag; expected go build flags/,
    );
    expectOneError(
      await run({ flags: `$(touch ${MARKER})` }),
      "input 'flags': '$(touch' is not a flag; expected go build flags as -name or -name=value, e.g. -race or -gcflags=all=-l",
    );
    expectOneError(
      await run({ flags: `-ldflags=$(touch ${MARKER})` }),
      "input 'flags': -ldflags is set by the action; use the ldflags (and strip) input",
    );
    expectOneError(
      await run({ tags: `netgo,$(touch ${MARKER})` }),
      /^input 'tags': '\$\(touch .*' is not a build tag/,
    );
    expect(existsSync(MARKER)).toBe(false);
  });

  it('a flag that takes a value, given bare: refused before go build takes the action’s -o as its value', async () => {
    expectOneError(
      await run({ flags: '-p' }),
      "input 'flags': '-p' takes a value; write it as -p=value (quote a value with spaces: -gcflags='all=-N -l')",
    );
    expectOneError(
      await run({ flags: '-race --gcflags' }),
      "input 'flags': '--gcflags' takes a value; write it as -gcflags=value (quote a value with spaces: -gcflags='all=-N -l')",
    );
  });

  it('shell syntax inside a flag value reaches go build as text, and nothing runs', async () => {
    const result = await run({
      targets: 'linux/amd64',
      'output-dir': 'dist-gcflags',
      flags: `'-gcflags=$(touch ${MARKER}) \`touch ${MARKER}\`'`,
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      `1 of 1 targets failed: linux/amd64 (invalid value "$(touch ${MARKER}) \`touch ${MARKER}\`" for flag -gcflags: missing =<value> in <pattern>=<value>)`,
    ]);
    expect(existsSync(MARKER)).toBe(false);
  });
});

describe('a target that fails to compile', () => {
  let broken: TempRepo;
  let result: ActionRun;
  // The Actions cache service (protocol v1) answering "no such entry", to see the restore asked for the right keys.
  const cacheRequests: { url: string; authorization?: string }[] = [];
  const cacheService = http.createServer((request, response) => {
    cacheRequests.push({ url: request.url ?? '', authorization: request.headers.authorization });
    response.writeHead(204).end();
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => cacheService.listen(0, '127.0.0.1', resolve));
    const { port } = cacheService.address() as AddressInfo;
    broken = TempRepo.fromFolder(FIXTURE);
    broken.write(
      'broken_windows.go',
      '//go:build windows\n\npackage main\n\nfunc broken() int { return "x" }\n',
    );
    broken.commit('a Windows-only compile error');
    // A binary left by an earlier run must not survive a failed build as if it were this one's.
    broken.write('dist/sample-api-windows-amd64.exe', 'stale');
    result = await runBundledAction('go-cross-build', {
      workspace: broken.dir,
      inputs: { targets: 'windows/amd64,linux/amd64', parallel: '1' },
      env: { ACTIONS_CACHE_URL: `http://127.0.0.1:${port}/`, ACTIONS_RUNTIME_TOKEN: 'runtime-token' },
    });
  }, 10 * 60_000);
  afterAll(async () => {
    broken?.remove();
    await new Promise((resolve) => cacheService.close(resolve));
  });

  it('annotates the file and line, and fails the step naming the target after the others finish', () => {
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      '::error title=go build windows/amd64,file=broken_windows.go,line=5,col=28::cannot use "x" (untyped string constant) as int value in return statement',
    );
    expect(result.errors).toEqual([
      'cannot use "x" (untyped string constant) as int value in return statement',
      '1 of 2 targets failed: windows/amd64 (broken_windows.go:5: cannot use "x" (untyped string constant) as int value in return statement)',
    ]);
    // linux/amd64 was queued behind the failed target (parallel: 1) and still built; the stale binary is gone,
    // and the existing folder got no .gitignore (only a folder the action creates does).
    expect(readdirSync(path.join(broken.dir, 'dist')).sort()).toEqual(['sample-api-linux-amd64']);
    // A partly built set is not handed on: the declared outputs are written empty.
    expect(result.outputs).toEqual(FAILED_OUTPUTS);
    expect(result.summary).toContain('### go-cross-build: 1 of 2 targets built, 1 failed');
    expect(result.summary).not.toContain('### go-cross-build failed');
    expect(result.summary).toMatch(/\| windows\/amd64 \| ❌ broken_windows\.go:5: cannot use "x"/);
    expect(result.summary).toMatch(/\| linux\/amd64 \| ✅ \| `dist\/sample-api-linux-amd64` \|/);
    expect(describeRun(result)).toContain('✗ windows/amd64 failed');
  });

  it('restores the Go caches on GitHub by key and restore keys, and saves nothing after a failure', () => {
    const key = /key `(gin-deploy-go-Linux-X64-go[\d.]+-)([0-9a-f]{16}-)([0-9a-f]{8})`/.exec(result.summary);
    expect(key).not.toBeNull();
    const [, prefix, deps, targets] = key!;
    const lookups = cacheRequests.filter((r) => r.url.startsWith('/_apis/artifactcache/cache?'));
    expect(lookups).toHaveLength(1);
    expect(new URL(lookups[0].url, 'http://x').searchParams.get('keys')).toBe(
      [`${prefix}${deps}${targets}`, `${prefix}${deps}`, prefix].join(','),
    );
    expect(lookups[0].authorization).toBe('Bearer runtime-token');
    expect(cacheRequests.filter((r) => r.url.includes('/caches'))).toEqual([]);
    expect(result.summary).toContain(
      `Cache: nothing to restore; not saved because a target failed; key \`${key![1]}${deps}${targets}\`.`,
    );
  });
});

describe('the output directory', () => {
  it('is left alone when it exists, and a failed step writes nothing into it', async () => {
    const dir = path.join(repo.dir, 'existing');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'keep.txt'), 'mine');
    const result = await run({ 'output-dir': 'existing', targets: 'linux/arm65' });
    expect(result.exitCode).toBe(1);
    expect(readdirSync(dir)).toEqual(['keep.txt']);
  });
});

describe('a job cancelled while the Actions cache service does not answer', () => {
  it('ends the step at the stop deadline with the failure outputs and a summary', async () => {
    // The cache library's requests cannot be aborted: this service takes the lookup and never answers.
    const held: http.ServerResponse[] = [];
    const silent = http.createServer((_request, response) => held.push(response));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const repo = TempRepo.fromFolder(FIXTURE);
    repo.commit('the sample service');
    try {
      let step: ChildProcess | undefined;
      const running = runBundledAction('go-cross-build', {
        workspace: repo.dir,
        inputs: { targets: 'linux/amd64' },
        env: {
          ACTIONS_CACHE_URL: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`,
          ACTIONS_RUNTIME_TOKEN: 'runtime-token',
        },
        onStart: (child) => (step = child),
      });
      await waitFor('the cache lookup', 60_000, async () => (held.length > 0 ? true : undefined));
      const signalledAt = Date.now();
      step!.kill('SIGINT');
      const result = await running;
      expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(STOP_DEADLINE_MS - 100);
      expect(Date.now() - signalledAt).toBeLessThan(STOP_DEADLINE_MS + 1500);
      expect(result.exitCode).toBe(1);
      expect(result.errors).toEqual([
        `the job was cancelled (SIGINT) and the step did not stop within ${STOP_DEADLINE_MS} ms`,
      ]);
      expect(result.outputs).toEqual(FAILED_OUTPUTS);
      expect(result.summary).toContain('### go-cross-build failed');
      expect(readdirSync(path.join(repo.dir, 'dist'))).toEqual(['.gitignore']);
    } finally {
      for (const response of held) response.destroy();
      silent.close();
      repo.remove();
    }
  }, 120_000);
});
