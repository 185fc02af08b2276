// go-cross-build's settings reader in-process, driven by INPUT_* variables as the runner sets them: the
// defaults, and each bad input's single-line message. The toolchain checks at the edge (ports, cgo, names)
// are fed a fixed port list, so no process starts.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '@gin-deploy/action';
import { OutputDirError, prepareOutputDir, UpxMissingError, upxVersion, type Port } from '@gin-deploy/golang';
import {
  atInputAsync,
  readSettings,
  resolveOutputNames,
  resolveTargets,
  type Settings,
} from '../../actions/go-cross-build/src/settings.js';
import { clearInputs, setInput, setInputs } from '../support/inputs.js';

const PORTS: Port[] = [
  { os: 'linux', arch: 'amd64', cgo: true, firstClass: true },
  { os: 'linux', arch: 'arm64', cgo: true, firstClass: true },
  { os: 'darwin', arch: 'arm64', cgo: true, firstClass: true },
  { os: 'js', arch: 'wasm', cgo: false, firstClass: false },
];
const HOST = { os: 'linux', arch: 'amd64' };

let workspace: string;
const saved = { GITHUB_WORKSPACE: process.env.GITHUB_WORKSPACE, RUNNER_TEMP: process.env.RUNNER_TEMP };
beforeAll(() => {
  workspace = mkdtempSync(path.join(os.tmpdir(), 'gcb-settings-'));
  mkdirSync(path.join(workspace, 'svc'));
  writeFileSync(path.join(workspace, 'a-file'), '');
  process.env.GITHUB_WORKSPACE = workspace;
  process.env.RUNNER_TEMP = path.join(workspace, 'runner-temp');
});
afterAll(() => {
  rmSync(workspace, { recursive: true, force: true });
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});
// action.yml's defaults, as the runner passes them when the workflow gives nothing.
beforeEach(() => {
  clearInputs();
  setInputs({
    targets: 'server',
    package: '.',
    'output-dir': 'dist',
    'name-template': '{name}-{os}-{arch}{variant}{ext}',
    'working-directory': '.',
    cgo: 'false',
    strip: 'true',
    'measure-strip': 'false',
    reproducible: 'true',
    'reuse-links': 'true',
    upx: 'false',
    archive: 'none',
    checksums: 'sha256sums.txt',
    cache: 'true',
  });
});
afterEach(clearInputs);

/** The message of what `read` throws, checked to be a one-line UserError. */
function failure(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).not.toContain('\n');
    return (error as Error).message;
  }
  throw new Error('expected the settings to be refused');
}

describe('readSettings', () => {
  it("reads action.yml's defaults", () => {
    expect(readSettings()).toEqual({
      targets: ['server'],
      package: '.',
      binaryName: undefined,
      workspace,
      outputDir: path.join(workspace, 'dist'),
      nameTemplate: '{name}-{os}-{arch}{variant}{ext}',
      workingDirectory: '.',
      cwd: workspace,
      cgo: false,
      strip: true,
      measureStrip: false,
      ldflags: '',
      buildvcs: undefined,
      tags: [],
      flags: [],
      env: {},
      parallel: undefined,
      reproducible: true,
      reuseLinks: true,
      upx: false,
      archive: 'none',
      checksums: 'sha256sums.txt',
      cache: true,
    } satisfies Settings);
  });

  it('reads every input given', () => {
    setInputs({
      targets: 'linux/amd64, linux/arm/v7\nwindows/amd64',
      package: './cmd/api',
      'binary-name': 'api',
      'output-dir': 'out',
      'name-template': '{os}_{arch}/{name}{ext}',
      'working-directory': 'svc',
      cgo: 'true',
      strip: 'false',
      'measure-strip': 'true',
      ldflags: "-X 'main.Version=1.2.3'",
      buildvcs: 'auto',
      tags: 'netgo, osusergo',
      flags: "-race\n-gcflags='all=-N -l'",
      env: 'GOEXPERIMENT=jsonv2\nCC=zig cc',
      parallel: '3',
      reproducible: 'false',
      'reuse-links': 'false',
      upx: 'true',
      archive: 'tar.gz',
      checksums: 'true',
      cache: 'false',
    });
    expect(readSettings()).toEqual({
      targets: ['linux/amd64', 'linux/arm/v7', 'windows/amd64'],
      package: './cmd/api',
      binaryName: 'api',
      workspace,
      outputDir: path.join(workspace, 'svc', 'out'),
      nameTemplate: '{os}_{arch}/{name}{ext}',
      workingDirectory: 'svc',
      cwd: path.join(workspace, 'svc'),
      cgo: true,
      strip: false,
      measureStrip: true,
      ldflags: "-X 'main.Version=1.2.3'",
      buildvcs: 'auto',
      tags: ['netgo', 'osusergo'],
      flags: ['-race', '-gcflags=all=-N -l'],
      env: { GOEXPERIMENT: 'jsonv2', CC: 'zig cc' },
      parallel: 3,
      reproducible: false,
      reuseLinks: false,
      upx: true,
      archive: 'tar.gz',
      checksums: 'sha256sums.txt',
      cache: false,
    } satisfies Settings);
  });

  it.each([
    ['false', undefined],
    ['none', undefined],
    ['SUMS', 'SUMS'],
  ])('checksums %j names the file %j', (value, file) => {
    setInput('checksums', value);
    expect(readSettings().checksums).toBe(file);
  });

  it.each([
    [
      'targets',
      ' , ',
      "input 'targets': no targets given; expected os/arch[/variant] such as linux/amd64 or linux/arm/v7, or a preset: server, common, all",
    ],
    [
      'targets',
      'linux/amd64,linux',
      "input 'targets': 'linux' is not valid; expected os/arch[/variant] such as linux/amd64 or linux/arm/v7, or a preset: server, common, all",
    ],
    [
      'targets',
      'linux/amd64/v9',
      "input 'targets': 'linux/amd64/v9' is not a GOAMD64 variant; valid: v1, v2, v3, v4",
    ],
    [
      'binary-name',
      'bin/api',
      "input 'binary-name': 'bin/api' is not valid; expected a file name without slashes",
    ],
    [
      'checksums',
      'sums/x.txt',
      "input 'checksums': 'sums/x.txt' is not valid; expected a file name such as sha256sums.txt, true or false (none)",
    ],
    ['tags', 'netgo,$(id)', "input 'tags': '$(id)' is not a build tag; expected letters, digits, _ and ."],
    ['buildvcs', 'maybe', "input 'buildvcs': 'maybe' is not one of true, false, auto"],
    ['working-directory', 'missing', "input 'working-directory': 'missing' is not a directory in WORKSPACE"],
    ['working-directory', 'a-file', "input 'working-directory': 'a-file' is not a directory in WORKSPACE"],
    ['cgo', 'maybe', "input 'cgo': 'maybe' is not valid; expected true or false"],
    [
      'flags',
      '-v; touch /tmp/x',
      "input 'flags': '-v;' is not a flag; expected go build flags as -name or -name=value, e.g. -race or -gcflags=all=-l",
    ],
    ['flags', "-X 'open", "input 'flags': unterminated ' quote in '-X 'open'"],
    [
      'flags',
      '-o=/etc/passwd',
      "input 'flags': -o is set by the action; use the output-dir and name-template input",
    ],
    [
      'flags',
      '-ldflags=-s',
      "input 'flags': -ldflags is set by the action; use the ldflags (and strip) input",
    ],
    ['flags', '-tags=x', "input 'flags': -tags is set by the action; use the tags input"],
    ['flags', '-buildvcs=false', "input 'flags': -buildvcs is set by the action; use the buildvcs input"],
    ['env', 'GOOS=plan9', "input 'env': GOOS is set by the action; use the targets input"],
    ['env', 'CGO_ENABLED=1', "input 'env': CGO_ENABLED is set by the action; use the cgo input"],
    ['env', 'A-B=1', "input 'env': 'A-B' is not a variable name; expected KEY=value lines"],
    ['env', 'novalue', "input 'env': 'novalue' is not valid; expected KEY=value lines"],
    ['parallel', '0', "input 'parallel': '0' is not valid; expected a whole number from 1 to 64"],
    ['parallel', '1.5', "input 'parallel': '1.5' is not valid; expected a whole number from 1 to 64"],
    ['archive', 'rar', "input 'archive': 'rar' is not one of none, tar.gz, zip"],
  ])('refuses %s: %j', (name, value, message) => {
    setInput(name, value);
    expect(failure(readSettings)).toBe(message.replace('WORKSPACE', workspace));
  });

  it('refuses paths that leave the workspace', () => {
    setInput('output-dir', '../elsewhere');
    expect(failure(readSettings)).toMatch(
      /^input 'output-dir': '\.\.\/elsewhere' resolves to .*, outside the workspace/,
    );
  });
});

describe('the checks that need the toolchain', () => {
  const settings = (inputs: Record<string, string>): Settings => {
    setInputs(inputs);
    return readSettings();
  };

  it('resolves targets against the ports, with presets', () => {
    expect(resolveTargets(settings({ targets: 'server,linux/amd64/v3' }), PORTS, HOST)).toEqual([
      { os: 'linux', arch: 'amd64', variant: '' },
      { os: 'linux', arch: 'arm64', variant: '' },
      { os: 'linux', arch: 'amd64', variant: 'v3' },
    ]);
  });

  it('names the input of a target that is not a port, and of cgo a target cannot have', () => {
    expect(failure(() => resolveTargets(settings({ targets: 'linux/arm65' }), PORTS, HOST))).toBe(
      "input 'targets': 'linux/arm65' is not a Go port; valid for linux: linux/amd64, linux/arm64; presets: server, common, all",
    );
    expect(
      failure(() => resolveTargets(settings({ targets: 'linux/arm64', cgo: 'true' }), PORTS, HOST)),
    ).toBe(
      "input 'cgo': linux/arm64 is a cross target and cgo needs a C cross-compiler for it; set CC in the env input (e.g. CC=aarch64-linux-gnu-gcc or CC=zig cc -target aarch64-linux-musl) or set cgo: false",
    );
    expect(failure(() => resolveTargets(settings({ targets: 'js/wasm', cgo: 'true' }), PORTS, HOST))).toBe(
      "input 'cgo': js/wasm does not support cgo; set cgo: false for it",
    );
    expect(
      resolveTargets(
        settings({ targets: 'linux/arm64', cgo: 'true', env: 'CC=aarch64-linux-gnu-gcc' }),
        PORTS,
        HOST,
      ),
    ).toEqual([{ os: 'linux', arch: 'arm64', variant: '' }]);
  });

  it('names the input of a name template that fails', () => {
    const targets = [
      { os: 'linux', arch: 'amd64', variant: '' },
      { os: 'linux', arch: 'amd64', variant: 'v3' },
    ];
    expect(resolveOutputNames(settings({}), 'api', targets)).toEqual([
      'api-linux-amd64',
      'api-linux-amd64v3',
    ]);
    expect(
      failure(() => resolveOutputNames(settings({ 'name-template': '{name}-{goos}' }), 'api', targets)),
    ).toBe(
      "input 'name-template': unknown placeholder {goos}; valid: {name}, {os}, {arch}, {variant}, {ext}",
    );
    expect(
      failure(() => resolveOutputNames(settings({ 'name-template': '../{name}' }), 'api', targets)),
    ).toBe(
      "input 'name-template': '../{name}' gives '../api'; expected a relative file name inside the output directory",
    );
    expect(
      failure(() => resolveOutputNames(settings({ 'name-template': '{name}-{os}' }), 'api', targets)),
    ).toBe(
      "input 'name-template': '{name}-{os}' gives 'api-linux' for both linux/amd64 and linux/amd64/v3; add {os}, {arch} or {variant}",
    );
  });

  it('says to install UPX or turn the input off when UPX is missing', async () => {
    const saved = process.env.PATH;
    process.env.PATH = path.join(workspace, 'svc');
    try {
      await expect(upxVersion()).rejects.toBeInstanceOf(UpxMissingError);
      await expect(atInputAsync('upx', upxVersion())).rejects.toThrow(
        new UserError(
          "'upx' was not found on PATH; input 'upx' is true; install UPX (e.g. crazy-max/ghaction-upx) or set upx: false",
        ),
      );
    } finally {
      process.env.PATH = saved;
    }
  });

  it('names the input of an output directory that is a file', async () => {
    const file = path.join(workspace, 'a-file');
    await expect(prepareOutputDir(file)).rejects.toBeInstanceOf(OutputDirError);
    await expect(atInputAsync('output-dir', prepareOutputDir(file))).rejects.toThrow(
      new UserError(`input 'output-dir': '${file}' is a file; expected a directory (created when missing)`),
    );
  });
});
