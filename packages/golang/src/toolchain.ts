import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { exec, type ExecOptions, type ExecResult } from '@gin-deploy/action';
import type { Port } from './targets.js';

export const SETUP_GO_HINT =
  'add a step with actions/setup-go before this one, or put the go command on PATH';

/** Runs the `go` command with an argument array; a missing toolchain becomes an error that says how to install it. */
export function go(args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  return exec('go', args, { missingHint: SETUP_GO_HINT, ...options });
}

/** The subset of `go env -json` the builds use. */
export interface GoEnv {
  GOVERSION: string;
  GOHOSTOS: string;
  GOHOSTARCH: string;
  GOCACHE: string;
  GOMODCACHE: string;
  /** The main module's go.mod; `/dev/null` or '' outside a module. */
  GOMOD: string;
  /** From the environment or the go.env file (`go env -w`); '' when unset. */
  GOFLAGS: string;
}

const GO_ENV_NAMES = [
  'GOVERSION',
  'GOHOSTOS',
  'GOHOSTARCH',
  'GOCACHE',
  'GOMODCACHE',
  'GOMOD',
  'GOFLAGS',
] as const;

/**
 * Only the named variables: a bare `go env` also works out the C compiler's flags (GOGCCFLAGS), which starts
 * `gcc` once per step for nothing. `env` is what the builds get over the process environment (the env input),
 * so GOFLAGS, GOCACHE and the rest are what go build will see, GOENV files included.
 */
export async function goEnv(cwd: string, env: Record<string, string> = {}): Promise<GoEnv> {
  return JSON.parse((await go(['env', '-json', ...GO_ENV_NAMES], { cwd, env })).stdout) as GoEnv;
}

interface DistPort {
  GOOS: string;
  GOARCH: string;
  CgoSupported: boolean;
  FirstClass: boolean;
}

/** Every port this toolchain can build, from `go tool dist list -json`. */
export async function ports(cwd: string): Promise<Port[]> {
  const list = JSON.parse((await go(['tool', 'dist', 'list', '-json'], { cwd })).stdout) as DistPort[];
  return list.map((port) => ({
    os: port.GOOS,
    arch: port.GOARCH,
    cgo: port.CgoSupported,
    firstClass: port.FirstClass,
  }));
}

/** The `module` directive of a go.mod file. */
export function parseModulePath(goMod: string): string | undefined {
  const match = /^\s*module\s+("?)([^\s"]+)\1\s*(?:\/\/.*)?$/m.exec(goMod);
  return match?.[2];
}

/** The main module's path, or undefined outside a module. */
export async function modulePath(env: GoEnv): Promise<string | undefined> {
  if (!env.GOMOD || env.GOMOD === '/dev/null' || env.GOMOD === 'NUL') return undefined;
  return parseModulePath(await readFile(env.GOMOD, 'utf8'));
}

/** Whether `program` (or `program.exe`) is in a PATH folder, without starting it. */
export function onPath(program: string): boolean {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some(
      (dir) =>
        dir !== '' && (existsSync(path.join(dir, program)) || existsSync(path.join(dir, `${program}.exe`))),
    );
}

/** Whether a `go` command is on PATH, without starting it. */
export function goOnPath(): boolean {
  return onPath('go');
}
