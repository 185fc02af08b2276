import { parseDiagnostics, type Diagnostic } from './diagnostics.js';
import { splitArguments } from './flags.js';
import { variantEnv, type Target } from './targets.js';
import { go } from './toolchain.js';

/** How every target of one cross build is compiled. */
export interface BuildSettings {
  /** The directory `go build` runs in (the module or a folder inside it). */
  cwd: string;
  package: string;
  cgo: boolean;
  /** `-s -w`: no symbol table, no DWARF. */
  strip: boolean;
  /** The caller's own -ldflags, appended after the action's (the linker lets later flags win). */
  ldflags: string;
  /** `true`, `false` or `auto`; undefined leaves Go's default (and GOFLAGS) alone. */
  buildvcs?: string;
  tags: string[];
  flags: string[];
  env: Record<string, string>;
  /** GOFLAGS as go build sees it: `go env GOFLAGS` with `env` applied (so GOENV files count too). */
  goflags?: string;
  /** `-p` for each go build (compileProcesses) when several run at once; undefined for Go's default. */
  processes?: number;
}

/**
 * The linker flags. Go's build ID stays: with -trimpath it is a hash of the build's inputs, so it does not make
 * two builds of one commit differ, and `go build` needs it to tell that a binary is current (LinkedBinaryStore).
 */
export function ldflagsFor(settings: Pick<BuildSettings, 'strip' | 'ldflags'>): string {
  return [settings.strip ? '-s -w' : '', settings.ldflags.trim()].filter(Boolean).join(' ');
}

/** cmd/link flags that take a value (`go tool link -help`): in `-extldflags -w`, -w goes to the C linker. */
const LINKER_VALUE_FLAGS = new Set(
  'B D E H I L R T X benchmark benchmarkprofile buildid buildmode capturehostobjs cpuprofile debugtextsize debugtramp extar extld extldflags fipso funcalign importcfg installsuffix k libgcc linkmode memprofile memprofilerate pluginpath r randlayout strictdups tmpdir'.split(
    ' ',
  ),
);

/**
 * Whether cmd/link leaves DWARF out with these -ldflags: the last -w decides (`-w`, `-w=true`, `-w=false`, with
 * one or two dashes, as Go's flag package reads them). -s alone is not counted: it implies -w only from Go 1.22.
 */
export function linkerOmitsDwarf(ldflags: string): boolean {
  let omits = false;
  let args: string[];
  try {
    args = splitArguments(ldflags);
  } catch {
    return false; // go build reports the broken quoting itself
  }
  for (let index = 0; index < args.length; index++) {
    const match = /^--?([^=]+)(?:=(.*))?$/s.exec(args[index]);
    if (!match) continue;
    const [, name, value] = match;
    if (name === 'w') omits = value === undefined || ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value);
    else if (value === undefined && LINKER_VALUE_FLAGS.has(name)) index++;
  }
  return omits;
}

/**
 * `-gcflags=all=-dwarf=false` when the linker drops DWARF anyway (-w): the compiler then does not generate it
 * for every package only for the linker to throw it away, which is 11 % of a cold build's CPU for the sample
 * service (golang/go#38777 asks cmd/go to do this itself). The program is the same; its build info lists the
 * flag. Left out when the caller sets -gcflags (in `flags` or GOFLAGS): theirs would replace it for the
 * packages they name, and the build info would list only theirs.
 */
export function compilerFlags(
  settings: Pick<BuildSettings, 'strip' | 'ldflags' | 'flags' | 'goflags'>,
): string[] {
  if (callerSets(settings, 'gcflags')) return [];
  return linkerOmitsDwarf(ldflagsFor(settings)) ? ['-gcflags=all=-dwarf=false'] : [];
}

/** `-p=N` when the builds share the CPUs, unless the caller sets -p (in `flags` or GOFLAGS). */
export function processFlags(settings: Pick<BuildSettings, 'processes' | 'flags' | 'goflags'>): string[] {
  if (settings.processes === undefined || callerSets(settings, 'p')) return [];
  return [`-p=${settings.processes}`];
}

/** Whether the `flags` input or GOFLAGS sets the go build flag `name` (as -name, --name or -name=value). */
function callerSets(settings: Pick<BuildSettings, 'flags' | 'goflags'>, name: string): boolean {
  const flag = new RegExp(`^--?${name}(=|$)`);
  return [...settings.flags, ...(settings.goflags ?? '').split(/\s+/)].some((arg) => flag.test(arg));
}

/**
 * The settings that decide which packages go build compiles, as one string for the Go cache key: tags, flags,
 * cgo, the env input and the compiler flags the action adds. Not -ldflags (the link only; -X changes with every
 * commit) and not -p (no effect on the result).
 */
export function compileSettings(settings: BuildSettings): string {
  return JSON.stringify([
    compilerFlags(settings),
    settings.tags,
    settings.flags,
    settings.cgo,
    Object.entries(settings.env).sort(([a], [b]) => a.localeCompare(b)),
  ]);
}

/** The `go build` arguments: one array, never a shell line, so nothing in an input is interpreted. */
export function buildArguments(settings: BuildSettings, output: string): string[] {
  const ldflags = ldflagsFor(settings);
  return [
    'build',
    '-trimpath',
    ...(ldflags ? [`-ldflags=${ldflags}`] : []),
    ...compilerFlags(settings),
    ...processFlags(settings),
    ...(settings.buildvcs ? [`-buildvcs=${settings.buildvcs}`] : []),
    ...(settings.tags.length > 0 ? [`-tags=${settings.tags.join(',')}`] : []),
    ...settings.flags,
    '-o',
    output,
    settings.package,
  ];
}

export function buildEnvironment(settings: BuildSettings, target: Target): Record<string, string> {
  return {
    ...settings.env,
    GOOS: target.os,
    GOARCH: target.arch,
    CGO_ENABLED: settings.cgo ? '1' : '0',
    ...variantEnv(target),
  };
}

export interface BuildResult {
  ok: boolean;
  durationMs: number;
  /** What `go build` printed (it is quiet on success). */
  output: string;
  diagnostics: Diagnostic[];
}

export async function buildTarget(
  settings: BuildSettings,
  target: Target,
  output: string,
): Promise<BuildResult> {
  const result = await go(buildArguments(settings, output), {
    cwd: settings.cwd,
    env: buildEnvironment(settings, target),
    allowFailure: true,
  });
  const printed = `${result.stdout}${result.stderr}`.trim();
  return {
    ok: result.exitCode === 0,
    durationMs: result.durationMs,
    output: printed,
    diagnostics: result.exitCode === 0 ? [] : parseDiagnostics(printed),
  };
}
