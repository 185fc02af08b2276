import { findPort, targetLabel, type Port, type Target } from './targets.js';

/** Why a target cannot be built with cgo: its port has no cgo, or it is a cross target with no C cross-compiler. */
export class CgoError extends Error {
  constructor(
    readonly target: Target,
    readonly reason: 'unsupported' | 'no-cross-compiler',
  ) {
    super(
      reason === 'unsupported'
        ? `${targetLabel(target)} does not support cgo`
        : `${targetLabel(target)} is a cross target and cgo needs a C cross-compiler for it`,
    );
    this.name = 'CgoError';
  }
}

/**
 * With cgo on, every target needs a port that supports cgo, and a target other than the host needs a C
 * cross-compiler: Go would otherwise call the host's gcc and fail deep in the link with an assembler error.
 * Throws CgoError for the first target that cannot be built.
 */
export function checkCgoTargets(
  targets: readonly Target[],
  ports: readonly Port[],
  host: { os: string; arch: string },
  env: Record<string, string>,
): void {
  for (const target of targets) {
    if (!findPort(ports, target)?.cgo) throw new CgoError(target, 'unsupported');
    const cross = target.os !== host.os || target.arch !== host.arch;
    if (cross && !env.CC) throw new CgoError(target, 'no-cross-compiler');
  }
}
