import { existsSync } from 'node:fs';
import path from 'node:path';

/** One `file:line[:column]: message` line of `go build` output. */
export interface Diagnostic {
  file: string;
  line: number;
  column?: number;
  message: string;
}

// `./main.go:12:5: undefined: x`, `internal/db/db.go:3:2: …`, `C:\src\x.go:1: …`; the `# pkg` headers are skipped.
const LINE = /^(?:\.[/\\])?((?:[A-Za-z]:)?[^\s:][^:]*?\.go):(\d+)(?::(\d+))?: (.+)$/;

export function parseDiagnostics(output: string): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const raw of output.split(/\r?\n/)) {
    const match = LINE.exec(raw.trimEnd());
    if (!match) continue;
    found.push({
      file: match[1],
      line: Number(match[2]),
      ...(match[3] ? { column: Number(match[3]) } : {}),
      message: match[4],
    });
  }
  return found;
}

/**
 * The file as an annotation needs it: relative to the workspace (the repository root on a runner). Paths that
 * do not resolve to a file there, such as module-cache paths under -trimpath, are left unanchored.
 */
export function workspaceFile(file: string, cwd: string, workspace: string): string | undefined {
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(workspace, absolute);
  if (relative.startsWith('..') || path.isAbsolute(relative) || !existsSync(absolute)) return undefined;
  return relative.split(path.sep).join('/');
}
