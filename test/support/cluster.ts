// Test support: a real Kubernetes control plane (kwok-simulated nodes and pods) per test file.
// startCluster() runs test/cluster/up.sh (which builds the binaries on first use, see
// test/cluster/README.md) and stop() runs test/cluster/down.sh.
import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface Cluster {
  /** Path of the cluster's kubeconfig (admin credentials, https://127.0.0.1:<port>). */
  kubeconfig: string;
  name: string;
  /** Deletes the cluster and waits until none of its processes is left. Safe to call twice. */
  stop(): Promise<void>;
}

/** The cold build of the binaries takes up to ~35 min; starting from the cache well under 1 min. */
const UP_TIMEOUT_MS = 60 * 60_000;
const DOWN_TIMEOUT_MS = 2 * 60_000;

/** Repository root: $GIN_DEPLOY_ROOT, or the nearest directory up from the cwd with the scripts. */
function repoRoot(): string {
  const fromEnv = process.env.GIN_DEPLOY_ROOT;
  if (fromEnv) return fromEnv;
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'test', 'cluster', 'up.sh'))) return dir;
    if (path.dirname(dir) === dir) {
      throw new Error(`test/cluster/up.sh not found above ${process.cwd()}; set GIN_DEPLOY_ROOT`);
    }
  }
}

function script(name: 'up.sh' | 'down.sh'): string {
  return path.join(repoRoot(), 'test', 'cluster', name);
}

interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs `bash <script> <args>` in its own process group, killed as a whole on timeout. */
function runScript(file: string, args: string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [file, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: process.env,
    });
    let stdout = '';
    let stderr = '';
    const verbose = process.env.GIN_DEPLOY_CLUSTER_VERBOSE === '1';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (verbose) process.stderr.write(d);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve({ stdout, stderr });
        return;
      }
      const why = timedOut ? `timed out after ${timeoutMs} ms` : `exited with ${code ?? signal}`;
      reject(new Error(`bash ${path.basename(file)} ${args.join(' ')} ${why}\n${tail(stderr, 60)}`));
    });
  });
}

function tail(text: string, lines: number): string {
  return text.split('\n').slice(-lines).join('\n');
}

/** A name unique to this process: gdt-<pid>-<random>. */
function uniqueName(): string {
  return `gdt-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Starts a cluster named `name` (default: unique per call) and resolves once the apiserver is
 * ready and both kwok nodes are Ready. Pods become Ready 1-2 s after scheduling unless they opt
 * into a failure mode (label `gin-deploy.test/fail`, see test/cluster/README.md).
 */
export async function startCluster(name: string = uniqueName()): Promise<Cluster> {
  const up = await runScript(script('up.sh'), [name], UP_TIMEOUT_MS);
  const last = up.stdout.trimEnd().split('\n').pop() ?? '';
  if (!last.startsWith('KUBECONFIG=')) {
    throw new Error(`up.sh did not end with KUBECONFIG=<path>; stdout:\n${up.stdout}`);
  }
  const kubeconfig = last.slice('KUBECONFIG='.length);
  let stopped: Promise<void> | undefined;
  return {
    kubeconfig,
    name,
    stop(): Promise<void> {
      // A supervisor would start a controller that down.sh has just stopped.
      stopSupervising(path.dirname(kubeconfig));
      stopped ??= runScript(script('down.sh'), [name], DOWN_TIMEOUT_MS).then(() => undefined);
      return stopped;
    },
  };
}

/**
 * Runs kubectl against the cluster and resolves with its stdout; rejects with its stderr.
 * `input` is written to kubectl's stdin (for `apply -f -`).
 */
export function kubectl(
  kubeconfig: string,
  args: string[],
  input?: string,
  timeoutMs = 60_000,
): Promise<string> {
  const bin = process.env.KUBECTL ?? 'kubectl';
  return new Promise((resolve, reject) => {
    const child = execFile(
      bin,
      ['--kubeconfig', kubeconfig, ...args],
      { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err) {
          reject(new Error(`kubectl ${args.join(' ')}: ${err.message}\n${stderr}`));
          return;
        }
        resolve(stdout);
      },
    );
    child.stdin?.end(input ?? '');
  });
}

/** A control-plane component's command line, to start it again as its supervisor would. */
interface Component {
  pidFile: string;
  argv: string[];
  cwd: string;
  log: string;
}

function component(dir: string, name: string): Component {
  const pidFile = path.join(dir, 'pids', `${name}.pid`);
  const pid = Number(readFileSync(pidFile, 'utf8').replace(/\D/g, ''));
  return {
    pidFile,
    argv: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean),
    cwd: readlinkSync(`/proc/${pid}/cwd`),
    log: path.join(dir, 'logs', `${name}.log`),
  };
}

function pidOf(c: Component): number {
  return Number(readFileSync(c.pidFile, 'utf8').replace(/\D/g, ''));
}

function start(c: Component): void {
  const log = openSync(c.log, 'a');
  const child = spawn(c.argv[0], c.argv.slice(1), {
    cwd: c.cwd,
    detached: true,
    stdio: ['ignore', log, log],
  });
  child.unref();
  closeSync(log);
  writeFileSync(c.pidFile, String(child.pid));
}

/**
 * Kills the cluster's kube-apiserver (SIGKILL, as a crash or a node loss would) and starts it again with
 * the same command line `downMs` later, as a supervisor would. Resolves once it is started again (not yet
 * ready: the first seconds of broken connections and 5xx are part of what callers test).
 *
 * While it is down its port is held by a listener that resets every connection (what clients see of a
 * server going away): other test clusters created meanwhile pick their ports from the free ones and would
 * otherwise take it. kube-controller-manager and kube-scheduler exit when they lose their leader election
 * during the outage; for the next `superviseMs` they are started again when they do, as the kubelet or
 * systemd restarts them in a real control plane.
 */
function stopSupervising(dir: string): void {
  clearInterval(supervisors.get(dir));
  supervisors.delete(dir);
}

/** The supervisors restartApiServer left running, by cluster folder: stop() ends them before deleting. */
const supervisors = new Map<string, NodeJS.Timeout>();

export async function restartApiServer(
  kubeconfig: string,
  downMs: number,
  superviseMs = 45_000,
): Promise<void> {
  const dir = path.dirname(kubeconfig);
  const apiserver = component(dir, 'kube-apiserver');
  const others = ['kube-controller-manager', 'kube-scheduler'].map((name) => component(dir, name));
  const port = Number(/--secure-port=(\d+)/.exec(apiserver.argv.join(' '))?.[1]);
  process.kill(pidOf(apiserver), 'SIGKILL');
  const holder = net.createServer((socket) => socket.resetAndDestroy());
  for (let attempt = 0; ; attempt++) {
    const bound = await new Promise<boolean>((resolve) => {
      holder.once('error', () => resolve(false));
      holder.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (bound) break;
    if (attempt > 200) throw new Error(`port ${port} of the killed kube-apiserver did not become free`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await new Promise((resolve) => setTimeout(resolve, downMs));
  await new Promise((resolve) => holder.close(resolve));
  start(apiserver);
  const until = Date.now() + superviseMs;
  const supervise = setInterval(() => {
    try {
      for (const c of others) {
        const cmdline = `/proc/${pidOf(c)}/cmdline`;
        // A killed child of this process stays a zombie, with an empty command line, until it is reaped.
        if (!existsSync(cmdline) || !readFileSync(cmdline, 'utf8')) start(c);
      }
      if (Date.now() > until) stopSupervising(dir);
    } catch {
      stopSupervising(dir); // the cluster was deleted
    }
  }, 500);
  supervise.unref();
  supervisors.set(dir, supervise);
}
