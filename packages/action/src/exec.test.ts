import { describe, expect, it } from '@jest/globals';
import { exec, ExecError } from './exec.js';

describe('exec', () => {
  it('passes arguments without a shell, so metacharacters stay literal', async () => {
    const result = await exec('printf', ['%s|', '$(touch /tmp/gin-deploy-pwned)', '; rm -rf /', '`id`']);
    expect(result.stdout).toBe('$(touch /tmp/gin-deploy-pwned)|; rm -rf /|`id`|');
  });

  it('captures output, exit code and environment', async () => {
    const result = await exec('sh', ['-c', 'echo "$GREETING"; echo err >&2; exit 3'], {
      env: { GREETING: 'hi' },
      allowFailure: true,
    });
    expect(result).toMatchObject({ exitCode: 3, stdout: 'hi\n', stderr: 'err\n' });
  });

  it('throws with the command and its last stderr lines on failure', async () => {
    await expect(exec('sh', ['-c', 'echo broken >&2; exit 2'])).rejects.toThrow(
      "'sh -c echo broken >&2; exit 2' failed with exit code 2: broken",
    );
  });

  it('kills the whole process group on timeout', async () => {
    const started = Date.now();
    const error = await exec('sh', ['-c', 'sleep 30 & sleep 30'], { timeoutMs: 300 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ExecError);
    expect((error as Error).message).toContain('did not finish within 300 ms');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('says when the program is not on PATH, with a hint', async () => {
    await expect(exec('no-such-program-xyz', [], { missingHint: 'install it' })).rejects.toThrow(
      "'no-such-program-xyz' was not found on PATH; install it",
    );
  });

  it('feeds standard input', async () => {
    expect((await exec('cat', [], { input: 'piped' })).stdout).toBe('piped');
  });
});
