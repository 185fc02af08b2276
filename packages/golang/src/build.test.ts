import { describe, expect, it } from '@jest/globals';
import {
  buildArguments,
  buildEnvironment,
  compilerFlags,
  ldflagsFor,
  linkerOmitsDwarf,
  processFlags,
  type BuildSettings,
} from './build.js';
import { parseDiagnostics, workspaceFile } from './diagnostics.js';

const settings: BuildSettings = {
  cwd: '/src',
  package: './cmd/api',
  cgo: false,
  strip: true,
  ldflags: "-X 'main.Version=1.2.3' -X main.Commit=$(id)",
  tags: ['netgo', 'osusergo'],
  flags: ['-v'],
  env: { GOAMD64: 'v2', GOEXPERIMENT: 'jsonv2' },
};

describe('go build arguments', () => {
  it('puts stripping before the caller’s ldflags, in one argument, and keeps Go’s build ID', () => {
    expect(buildArguments({ ...settings, buildvcs: 'false' }, '/out/api')).toEqual([
      'build',
      '-trimpath',
      "-ldflags=-s -w -X 'main.Version=1.2.3' -X main.Commit=$(id)",
      '-gcflags=all=-dwarf=false',
      '-buildvcs=false',
      '-tags=netgo,osusergo',
      '-v',
      '-o',
      '/out/api',
      './cmd/api',
    ]);
  });

  it('leaves -ldflags out when there is nothing to pass', () => {
    expect(ldflagsFor({ strip: false, ldflags: ' ' })).toBe('');
    expect(buildArguments({ ...settings, strip: false, ldflags: '', tags: [], flags: [] }, 'x')).toEqual([
      'build',
      '-trimpath',
      '-o',
      'x',
      './cmd/api',
    ]);
  });

  it('tells the compiler not to generate the DWARF the linker drops, unless the caller sets -gcflags', () => {
    const none = { flags: [] };
    expect(compilerFlags({ ...none, strip: false, ldflags: '-w' })).toEqual(['-gcflags=all=-dwarf=false']);
    expect(compilerFlags({ ...none, strip: true, ldflags: '-w=false' })).toEqual([]);
    expect(compilerFlags({ ...none, strip: false, ldflags: '' })).toEqual([]);
    // The caller's -gcflags, in flags or GOFLAGS, would replace it for the packages they name, and the build
    // info would list only theirs.
    expect(compilerFlags({ flags: ['-gcflags=-m'], strip: true, ldflags: '' })).toEqual([]);
    expect(compilerFlags({ flags: ['--gcflags=all=-N -l'], strip: true, ldflags: '' })).toEqual([]);
    expect(compilerFlags({ ...none, strip: true, ldflags: '', goflags: '-mod=mod -gcflags=all=-N' })).toEqual(
      [],
    );
    expect(compilerFlags({ flags: ['-gcflagsx'], strip: true, ldflags: '', goflags: '-mod=mod' })).toEqual([
      '-gcflags=all=-dwarf=false',
    ]);
  });

  it('shares the CPUs out with -p unless the caller sets -p', () => {
    expect(processFlags({ flags: [], processes: 1 })).toEqual(['-p=1']);
    expect(processFlags({ flags: [], processes: undefined })).toEqual([]);
    expect(processFlags({ flags: ['-p=2'], processes: 1 })).toEqual([]);
    expect(processFlags({ flags: [], goflags: '-p=4', processes: 1 })).toEqual([]);
    expect(processFlags({ flags: ['-pgo=off'], goflags: '-pkgdir=/x', processes: 1 })).toEqual(['-p=1']);
  });

  it('reads the last -w of the linker flags the way the flag package does', () => {
    expect(linkerOmitsDwarf('-s -w')).toBe(true);
    expect(linkerOmitsDwarf('--w')).toBe(true);
    expect(linkerOmitsDwarf('-w=T')).toBe(true);
    expect(linkerOmitsDwarf('-s -w -w=false')).toBe(false);
    expect(linkerOmitsDwarf('-w=0 -X main.v=1 -w')).toBe(true);
    // -s implies -w only from Go 1.22: an older toolchain keeps DWARF with -s alone.
    expect(linkerOmitsDwarf('-s')).toBe(false);
    // A value, not a flag: the C linker gets "-w"; Go's linker keeps DWARF.
    expect(linkerOmitsDwarf('-extldflags -w')).toBe(false);
    expect(linkerOmitsDwarf("-extldflags '-static -w'")).toBe(false);
    expect(linkerOmitsDwarf("-X 'main.v=broken")).toBe(false);
  });

  it('sets the port, cgo and the target variant over the env input', () => {
    expect(buildEnvironment(settings, { os: 'linux', arch: 'amd64', variant: 'v3' })).toEqual({
      GOAMD64: 'v3',
      GOEXPERIMENT: 'jsonv2',
      GOOS: 'linux',
      GOARCH: 'amd64',
      CGO_ENABLED: '0',
    });
    expect(
      buildEnvironment({ ...settings, cgo: true }, { os: 'linux', arch: 'arm64', variant: '' }),
    ).toMatchObject({
      GOAMD64: 'v2',
      CGO_ENABLED: '1',
    });
  });
});

describe('compile errors', () => {
  it('reads file, line and column from go build output, skipping package headers', () => {
    const output = [
      '# github.com/acme/api',
      './main.go:12:5: undefined: x',
      'internal/db/db.go:3: syntax error: unexpected newline',
      'note: module requires Go 1.99',
    ].join('\n');
    expect(parseDiagnostics(output)).toEqual([
      { file: 'main.go', line: 12, column: 5, message: 'undefined: x' },
      { file: 'internal/db/db.go', line: 3, message: 'syntax error: unexpected newline' },
    ]);
  });

  it('anchors only files inside the workspace', () => {
    const here = import.meta.dirname;
    expect(workspaceFile('build.ts', here, `${here}/../..`)).toBe('golang/src/build.ts');
    expect(workspaceFile('github.com/x/y@v1/y.go', here, here)).toBeUndefined();
    expect(workspaceFile('../../../x.go', here, here)).toBeUndefined();
  });
});
