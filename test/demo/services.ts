import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The demo's long-lived processes (registry, kubelet): started detached so that they outlive one `make demo`
 * and serve the next, each with a pid file so that `make demo-down` stops them all.
 */
export class DemoServices {
  constructor(private readonly stateDir: string) {
    mkdirSync(this.pidDir, { recursive: true });
  }

  private get pidDir(): string {
    return path.join(this.stateDir, 'pids');
  }

  isRunning(name: string): boolean {
    const pid = this.pid(name);
    if (pid === undefined) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  start(name: string, program: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
    if (this.isRunning(name)) return;
    const log = openSync(path.join(this.stateDir, `${name}.log`), 'a');
    const child = spawn(program, args, { detached: true, stdio: ['ignore', log, log], env });
    writeFileSync(path.join(this.pidDir, name), String(child.pid));
    child.unref();
  }

  stopAll(): string[] {
    const stopped: string[] = [];
    if (!existsSync(this.pidDir)) return stopped;
    for (const name of readdirSync(this.pidDir)) {
      const pid = this.pid(name);
      if (pid !== undefined) {
        try {
          process.kill(-pid, 'SIGTERM');
          stopped.push(name);
        } catch {
          // Already gone.
        }
      }
      rmSync(path.join(this.pidDir, name), { force: true });
    }
    return stopped;
  }

  private pid(name: string): number | undefined {
    const file = path.join(this.pidDir, name);
    if (!existsSync(file)) return undefined;
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  }
}
