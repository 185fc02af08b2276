import { describe, expect, it } from '@jest/globals';
import { CgoError, checkCgoTargets } from './cgo.js';
import {
  checkTargetSyntax,
  ociPlatform,
  parseTargets,
  TargetError,
  targetLabel,
  variantEnv,
  type Port,
} from './targets.js';

const port = (id: string, firstClass = false, cgo = true): Port => {
  const [os, arch] = id.split('/');
  return { os, arch, cgo, firstClass };
};
const PORTS: Port[] = [
  port('darwin/amd64', true),
  port('darwin/arm64', true),
  port('linux/386', true),
  port('linux/amd64', true),
  port('linux/arm', true),
  port('linux/arm64', true),
  port('linux/riscv64'),
  port('windows/amd64', true),
  port('windows/arm64'),
  port('js/wasm', false, false),
];

const labels = (items: string[]) => parseTargets(items, PORTS).map(targetLabel);

describe('parseTargets', () => {
  it('keeps the order given, lower-cases and drops duplicates', () => {
    expect(labels(['linux/arm64', 'LINUX/amd64', 'linux/arm64'])).toEqual(['linux/arm64', 'linux/amd64']);
    expect(labels(['linux/arm64 darwin/arm64', ' windows/amd64 '])).toEqual([
      'linux/arm64',
      'darwin/arm64',
      'windows/amd64',
    ]);
  });

  it('expands presets, with all meaning every first-class port', () => {
    expect(labels(['server'])).toEqual(['linux/amd64', 'linux/arm64']);
    expect(labels(['common'])).toEqual([
      'linux/amd64',
      'linux/arm64',
      'linux/arm/v7',
      'darwin/amd64',
      'darwin/arm64',
      'windows/amd64',
      'windows/arm64',
    ]);
    expect(labels(['all'])).toEqual([
      'darwin/amd64',
      'darwin/arm64',
      'linux/386',
      'linux/amd64',
      'linux/arm',
      'linux/arm64',
      'windows/amd64',
    ]);
  });

  it('reads variants and their other spellings', () => {
    expect(
      labels(['linux/arm/v7', 'linux/arm/6', 'linux/amd64/v3', 'linux/arm64/v8', 'linux/arm64/v9.5']),
    ).toEqual(['linux/arm/v7', 'linux/arm/v6', 'linux/amd64/v3', 'linux/arm64/v8.0', 'linux/arm64/v9.5']);
    expect(labels(['linux/386/softfloat', 'linux/riscv64/rva23u64'])).toEqual([
      'linux/386/softfloat',
      'linux/riscv64/rva23u64',
    ]);
  });

  it('refuses an empty list', () => {
    expect(() => parseTargets([], PORTS)).toThrow(TargetError);
    expect(() => parseTargets([], PORTS)).toThrow(
      new TargetError(
        'no targets given; expected os/arch[/variant] such as linux/amd64 or linux/arm/v7, or a preset: server, common, all',
      ),
    );
  });

  it('lists the valid ports of the OS for an unknown architecture', () => {
    expect(() => parseTargets(['linux/arm65'], PORTS)).toThrow(
      new TargetError(
        "'linux/arm65' is not a Go port; valid for linux: linux/386, linux/amd64, linux/arm, linux/arm64, linux/riscv64; presets: server, common, all",
      ),
    );
  });

  it('lists every port for an unknown OS', () => {
    expect(() => parseTargets(['plan10/amd64'], PORTS)).toThrow(
      /'plan10\/amd64' is not a Go port; valid: darwin\/amd64, darwin\/arm64, .*, js\/wasm; presets/,
    );
  });

  it('rejects malformed items and unknown variants, naming the valid ones', () => {
    expect(() => parseTargets(['linux'], PORTS)).toThrow(/^'linux' is not valid; expected os\/arch/);
    expect(() => parseTargets(['linux/amd64/v5'], PORTS)).toThrow(
      new TargetError("'linux/amd64/v5' is not a GOAMD64 variant; valid: v1, v2, v3, v4"),
    );
    expect(() => parseTargets(['windows/arm64/v8.0/x'], PORTS)).toThrow('is not valid');
    expect(() => parseTargets(['js/wasm/v1'], PORTS)).toThrow(
      "'js/wasm/v1': wasm has no variants; use js/wasm",
    );
  });
});

describe('variants', () => {
  it('sets the micro-architecture variable Go reads', () => {
    const [arm, amd, arm64, plain] = parseTargets(
      ['linux/arm/v7', 'linux/amd64/v3', 'linux/arm64/v8.2', 'linux/amd64'],
      PORTS,
    );
    expect([variantEnv(arm), variantEnv(amd), variantEnv(arm64), variantEnv(plain)]).toEqual([
      { GOARM: '7' },
      { GOAMD64: 'v3' },
      { GOARM64: 'v8.2' },
      {},
    ]);
  });

  it('gives the OCI platform, with variants only where OCI has them', () => {
    const platforms = parseTargets(
      [
        'linux/arm/v7',
        'linux/amd64/v1',
        'linux/amd64/v3',
        'linux/arm64/v8',
        'linux/arm64/v9.2',
        'linux/386/sse2',
      ],
      PORTS,
    ).map(ociPlatform);
    expect(platforms).toEqual([
      'linux/arm/v7',
      'linux/amd64',
      'linux/amd64/v3',
      'linux/arm64/v8',
      'linux/arm64/v9.2',
      'linux/386',
    ]);
  });
});

describe('checkCgoTargets', () => {
  const host = { os: 'linux', arch: 'amd64' };
  it('accepts the host and a cross target with a C cross-compiler', () => {
    expect(() => checkCgoTargets(parseTargets(['linux/amd64'], PORTS), PORTS, host, {})).not.toThrow();
    expect(() =>
      checkCgoTargets(parseTargets(['linux/arm64'], PORTS), PORTS, host, { CC: 'aarch64-linux-gnu-gcc' }),
    ).not.toThrow();
  });

  it('says what to do for a cross target without CC and for a port without cgo', () => {
    const [arm64] = parseTargets(['linux/arm64'], PORTS);
    const [wasm] = parseTargets(['js/wasm'], PORTS);
    expect(() => checkCgoTargets([arm64], PORTS, host, {})).toThrow(new CgoError(arm64, 'no-cross-compiler'));
    expect(new CgoError(arm64, 'no-cross-compiler').message).toBe(
      'linux/arm64 is a cross target and cgo needs a C cross-compiler for it',
    );
    expect(() => checkCgoTargets([wasm], PORTS, host, {})).toThrow(CgoError);
    expect(() => checkCgoTargets([wasm], PORTS, host, {})).toThrow(new Error('js/wasm does not support cgo'));
  });
});

describe('checkTargetSyntax', () => {
  it('accepts presets and well-formed targets without asking the toolchain, unknown ports included', () => {
    expect(() =>
      checkTargetSyntax(['server', 'linux/arm/v7', 'linux/arm65', 'plan10/amd64/v3', 'linux/arm65/v7']),
    ).not.toThrow();
  });

  it('refuses an empty list, a malformed item and a variant its architecture does not have', () => {
    expect(() => checkTargetSyntax([' '])).toThrow(/^no targets given; expected /);
    expect(() => checkTargetSyntax(['linux'])).toThrow(TargetError);
    expect(() => checkTargetSyntax(['linux'])).toThrow(/^'linux' is not valid; expected /);
    expect(() => checkTargetSyntax(['linux/arm64/v8.2/x'])).toThrow('is not valid');
    expect(() => checkTargetSyntax(['linux/amd64/v9'])).toThrow(
      new TargetError("'linux/amd64/v9' is not a GOAMD64 variant; valid: v1, v2, v3, v4"),
    );
  });
});
