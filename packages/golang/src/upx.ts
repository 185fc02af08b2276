import { exec, UserError } from '@gin-deploy/action';
import type { Target } from './targets.js';
import { onPath } from './toolchain.js';

/** UPX was asked for and is not installed. */
export class UpxMissingError extends Error {
  constructor() {
    super("'upx' was not found on PATH");
    this.name = 'UpxMissingError';
  }
}

// UPX 4 and 5 pack ELF on these architectures and PE on x86; macOS support was dropped in UPX 4.
const PACKABLE = new Set([
  'linux/386',
  'linux/amd64',
  'linux/arm',
  'linux/arm64',
  'linux/mips',
  'linux/mipsle',
  'linux/ppc64le',
  'windows/386',
  'windows/amd64',
]);

/** Why UPX cannot pack this target's binaries, or undefined when it can. */
export function upxSkipReason(target: Target): string | undefined {
  if (PACKABLE.has(`${target.os}/${target.arch}`)) return undefined;
  if (target.os === 'darwin') return 'UPX cannot pack macOS binaries (they would not start)';
  return `UPX cannot pack ${target.os}/${target.arch} binaries`;
}

/** The installed UPX's version line; UpxMissingError when UPX is not on PATH. */
export async function upxVersion(): Promise<string> {
  if (!onPath('upx')) throw new UpxMissingError();
  const result = await exec('upx', ['--version']);
  return result.stdout.split('\n')[0].trim();
}

export async function upxPack(file: string): Promise<void> {
  const result = await exec('upx', ['-q', '--no-progress', file], { allowFailure: true });
  if (result.exitCode !== 0)
    throw new UserError(
      `upx could not pack ${file}: ${(result.stderr || result.stdout).trim().split('\n').at(-1)}`,
    );
}
