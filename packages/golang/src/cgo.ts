import { UserError } from '@gin-deploy/action';
import { findPort, targetLabel, type Port, type Target } from './targets.js';

/**
 * With cgo on, every target needs a port that supports cgo, and a target other than the host needs a C
 * cross-compiler: Go would otherwise call the host's gcc and fail deep in the link with an assembler error.
 */
export function checkCgoTargets(
  targets: readonly Target[],
  ports: readonly Port[],
  host: { os: string; arch: string },
  env: Record<string, string>,
): void {
  for (const target of targets) {
    const label = targetLabel(target);
    if (!findPort(ports, target)?.cgo)
      throw new UserError(`input 'cgo': ${label} does not support cgo; set cgo: false for it`);
    const cross = target.os !== host.os || target.arch !== host.arch;
    if (cross && !env.CC)
      throw new UserError(
        `input 'cgo': ${label} is a cross target and cgo needs a C cross-compiler for it; set CC in the env input (e.g. CC=aarch64-linux-gnu-gcc or CC=zig cc -target aarch64-linux-musl) or set cgo: false`,
      );
  }
}
