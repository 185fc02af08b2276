// A PATH folder whose `go` and `git` log each call (program and arguments, one line) before running the real
// program: what a step started, read back after it ran. Calls made by go itself (git for -buildvcs) are not
// the step's and are left out.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class ProcessLog {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'gin-deploy-process-log-'));
  private readonly file = path.join(this.dir, 'calls.log');

  constructor(programs: readonly string[] = ['go', 'git']) {
    writeFileSync(this.file, '');
    for (const program of programs) {
      const real = execFileSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).trim();
      writeFileSync(
        path.join(this.dir, program),
        `#!/bin/sh\n[ "$(cat /proc/$PPID/comm 2>/dev/null)" = go ] || printf '%s\\n' "${program} $*" >> '${this.file}'\nexec '${real}' "$@"\n`,
        { mode: 0o755 },
      );
    }
  }

  /** PATH with the logging programs first. */
  get path(): string {
    return `${this.dir}${path.delimiter}${process.env.PATH}`;
  }

  /** Every call so far, e.g. `go build -trimpath …`. */
  calls(): string[] {
    return readFileSync(this.file, 'utf8').split('\n').filter(Boolean);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
