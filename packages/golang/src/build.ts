import { parseDiagnostics, type Diagnostic } from './diagnostics.js';
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
}

/**
 * The linker flags. Go's build ID stays: with -trimpath it is a hash of the build's inputs, so it does not make
 * two builds of one commit differ, and `go build` needs it to tell that a binary is current (LinkedBinaryStore).
 */
export function ldflagsFor(settings: Pick<BuildSettings, 'strip' | 'ldflags'>): string {
  return [settings.strip ? '-s -w' : '', settings.ldflags.trim()].filter(Boolean).join(' ');
}

/** The `go build` arguments: one array, never a shell line, so nothing in an input is interpreted. */
export function buildArguments(settings: BuildSettings, output: string): string[] {
  const ldflags = ldflagsFor(settings);
  return [
    'build',
    '-trimpath',
    ...(ldflags ? [`-ldflags=${ldflags}`] : []),
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
