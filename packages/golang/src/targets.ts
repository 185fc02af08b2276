/** One entry of `go tool dist list -json`. */
export interface Port {
  os: string;
  arch: string;
  cgo: boolean;
  firstClass: boolean;
}

/** A build target: a Go port and, optionally, a micro-architecture variant such as `v7` (GOARM) or `v3` (GOAMD64). */
export interface Target {
  os: string;
  arch: string;
  variant: string;
}

export const PRESETS = {
  server: ['linux/amd64', 'linux/arm64'],
  common: [
    'linux/amd64',
    'linux/arm64',
    'linux/arm/v7',
    'darwin/amd64',
    'darwin/arm64',
    'windows/amd64',
    'windows/arm64',
  ],
  // Filled from the toolchain: every first-class port.
  all: [],
} satisfies Record<string, string[]>;

export type Preset = keyof typeof PRESETS;

interface VariantRule {
  variable: string;
  values: string[];
  /** Other spellings accepted for a value, e.g. `7` for arm's `v7`. */
  aliases?: Record<string, string>;
  /** The variable's value when it differs from the variant's name. */
  toEnv?: (variant: string) => string;
}

const ARM64_VERSIONS = [
  ...Array.from({ length: 10 }, (_, minor) => `v8.${minor}`),
  ...Array.from({ length: 6 }, (_, minor) => `v9.${minor}`),
];
const FLOAT = ['hardfloat', 'softfloat'];

/** The micro-architecture variables of `go help environment`, per GOARCH. */
const VARIANTS: Record<string, VariantRule> = {
  amd64: {
    variable: 'GOAMD64',
    values: ['v1', 'v2', 'v3', 'v4'],
    aliases: { 1: 'v1', 2: 'v2', 3: 'v3', 4: 'v4' },
  },
  arm: {
    variable: 'GOARM',
    values: ['v5', 'v6', 'v7'],
    aliases: { 5: 'v5', 6: 'v6', 7: 'v7' },
    toEnv: (v) => v.slice(1),
  },
  arm64: { variable: 'GOARM64', values: ARM64_VERSIONS, aliases: { v8: 'v8.0', v9: 'v9.0' } },
  '386': { variable: 'GO386', values: ['sse2', 'softfloat'] },
  mips: { variable: 'GOMIPS', values: FLOAT },
  mipsle: { variable: 'GOMIPS', values: FLOAT },
  mips64: { variable: 'GOMIPS64', values: FLOAT },
  mips64le: { variable: 'GOMIPS64', values: FLOAT },
  ppc64: { variable: 'GOPPC64', values: ['power8', 'power9', 'power10'] },
  ppc64le: { variable: 'GOPPC64', values: ['power8', 'power9', 'power10'] },
  riscv64: { variable: 'GORISCV64', values: ['rva20u64', 'rva22u64', 'rva23u64'] },
};

const EXPECTED = `os/arch[/variant] such as linux/amd64 or linux/arm/v7, or a preset: ${Object.keys(PRESETS).join(', ')}`;

/** A target list or item that is not valid; the message names the item and what is valid. */
export class TargetError extends Error {
  constructor(
    message: string,
    /** The item as given, when one item is at fault (undefined for an empty list). */
    readonly item?: string,
  ) {
    super(message);
    this.name = 'TargetError';
  }
}

export function targetLabel(target: Target): string {
  return `${target.os}/${target.arch}${target.variant ? `/${target.variant}` : ''}`;
}

/**
 * Expands presets and checks every `os/arch[/variant]` against the toolchain's ports, in the given order without
 * duplicates. Throws TargetError, one line naming the item and listing what is valid.
 */
export function parseTargets(items: readonly string[], ports: readonly Port[]): Target[] {
  const targets = new Map<string, Target>();
  const words = items.flatMap((raw) => raw.trim().toLowerCase().split(/\s+/)).filter(Boolean);
  if (words.length === 0) throw new TargetError(`no targets given; expected ${EXPECTED}`);
  for (const item of words.flatMap((word) => expandPreset(word, ports))) {
    const target = parseTarget(item, ports);
    targets.set(targetLabel(target), target);
  }
  return [...targets.values()];
}

/**
 * Checks what can be checked without the toolchain, so a bad `targets` fails before any process starts: the
 * list is not empty, each item is a preset or `os/arch[/variant]`, and a variant of an architecture with
 * variants is one of its values. Whether `os/arch` is a port of the installed Go is parseTargets' job.
 */
export function checkTargetSyntax(items: readonly string[]): void {
  const words = items.flatMap((raw) => raw.trim().toLowerCase().split(/\s+/)).filter(Boolean);
  if (words.length === 0) throw new TargetError(`no targets given; expected ${EXPECTED}`);
  for (const item of words) {
    if (item in PRESETS) continue;
    const parts = item.split('/');
    if (parts.length < 2 || parts.length > 3 || parts.some((part) => part === ''))
      throw new TargetError(`'${item}' is not valid; expected ${EXPECTED}`, item);
    const [os, arch, given] = parts;
    if (given !== undefined && VARIANTS[arch]) parseVariant(os, arch, given);
  }
}

function expandPreset(item: string, ports: readonly Port[]): string[] {
  if (item === 'all') return ports.filter((port) => port.firstClass).map((port) => `${port.os}/${port.arch}`);
  if (item in PRESETS) return PRESETS[item as Preset];
  return [item];
}

function parseTarget(item: string, ports: readonly Port[]): Target {
  const parts = item.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => part === ''))
    throw new TargetError(`'${item}' is not valid; expected ${EXPECTED}`, item);
  const [os, arch, given] = parts;
  if (!ports.some((port) => port.os === os && port.arch === arch)) {
    const sameOs = ports.filter((port) => port.os === os);
    const valid = (sameOs.length > 0 ? sameOs : ports).map((port) => `${port.os}/${port.arch}`).join(', ');
    throw new TargetError(
      `'${os}/${arch}' is not a Go port; valid${sameOs.length > 0 ? ` for ${os}` : ''}: ${valid}` +
        `; presets: ${Object.keys(PRESETS).join(', ')}`,
      item,
    );
  }
  return { os, arch, variant: given === undefined ? '' : parseVariant(os, arch, given) };
}

function parseVariant(os: string, arch: string, given: string): string {
  const rule = VARIANTS[arch];
  const item = `${os}/${arch}/${given}`;
  if (!rule) throw new TargetError(`'${item}': ${arch} has no variants; use ${os}/${arch}`, item);
  const variant = rule.values.includes(given) ? given : rule.aliases?.[given];
  if (variant === undefined)
    throw new TargetError(
      `'${item}' is not a ${rule.variable} variant; valid: ${rule.values.join(', ')}`,
      item,
    );
  return variant;
}

/** The environment that selects the target's variant, e.g. `{ GOARM: '7' }`. */
export function variantEnv(target: Target): Record<string, string> {
  const rule = VARIANTS[target.arch];
  if (!target.variant || !rule) return {};
  return { [rule.variable]: rule.toEnv ? rule.toEnv(target.variant) : target.variant };
}

/** The OCI platform (`linux/arm/v7`, `linux/arm64/v8`); float and ISA-extension variants have no OCI form. */
export function ociPlatform(target: Target): string {
  const base = `${target.os}/${target.arch}`;
  if (target.arch === 'arm' && target.variant) return `${base}/${target.variant}`;
  if (target.arch === 'amd64' && target.variant && target.variant !== 'v1')
    return `${base}/${target.variant}`;
  if (target.arch === 'arm64' && target.variant) return `${base}/${target.variant.replace(/\.0$/, '')}`;
  return base;
}

export function findPort(ports: readonly Port[], target: Target): Port | undefined {
  return ports.find((port) => port.os === target.os && port.arch === target.arch);
}
