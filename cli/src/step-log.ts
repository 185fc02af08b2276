import { SecretMasker } from '@gin-deploy/runner';

export interface StepLog {
  /** Takes a chunk of the step's stdout or stderr; whole lines are shown as they complete. */
  write(chunk: string, stream: 'stdout' | 'stderr'): void;
  /** Shows what is left of a last line without a newline, once the step has ended. */
  flush(): void;
}

/**
 * The step's log as the runner shows it, written to `sink`: `::add-mask::` values taken in and their lines
 * hidden, every secret replaced by `***`, and `::debug::` lines only with RUNNER_DEBUG=1. Each stream is cut
 * into lines on its own, so that a command split across two chunks is still recognised.
 */
export function stepLog(masker: SecretMasker, sink: (line: string) => void, showDebug: boolean): StepLog {
  const pending = { stdout: '', stderr: '' };
  const show = (line: string) => {
    const masked = masker.line(line);
    if (masked !== undefined && (showDebug || !line.startsWith('::debug::'))) sink(masked + '\n');
  };
  return {
    write(chunk, stream) {
      const lines = (pending[stream] + chunk).split('\n');
      pending[stream] = lines.pop() ?? '';
      for (const line of lines) show(line);
    },
    flush() {
      for (const stream of ['stdout', 'stderr'] as const) {
        if (pending[stream] !== '') show(pending[stream]);
        pending[stream] = '';
      }
    },
  };
}
