// Test support: a real OCI registry (Debian `docker-registry`, distribution 2.8) on a free 127.0.0.1 port with
// its own temporary storage, optionally behind htpasswd Basic authentication. Stop it in afterAll.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports.js';

export interface Registry {
  /** `127.0.0.1:<port>`, the domain part of image names. */
  host: string;
  url: string;
  storage: string;
  stop(): Promise<void>;
}

export interface RegistryOptions {
  /** Requires these credentials (htpasswd, bcrypt). */
  auth?: { username: string; password: string };
}

const START_TIMEOUT_MS = 20_000;

/** A bcrypt htpasswd line: `htpasswd -B` (apache2-utils) when installed, else Python's crypt module. */
export function htpasswdLine(username: string, password: string): string {
  try {
    return execFileSync('htpasswd', ['-Bbn', username, password], { encoding: 'utf8' }).trim();
  } catch {
    const script =
      'import warnings\nwarnings.simplefilter("ignore")\nimport crypt,sys\n' +
      'print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1<<4)))';
    const hash = execFileSync('python3', ['-c', script, password], { encoding: 'utf8' }).trim();
    if (!hash.startsWith('$2'))
      throw new Error('neither htpasswd nor python3 crypt could make a bcrypt hash');
    return `${username}:${hash}`;
  }
}

export async function startRegistry(options: RegistryOptions = {}): Promise<Registry> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gin-deploy-registry-'));
  const storage = path.join(dir, 'storage');
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const auth = options.auth
    ? `auth:\n  htpasswd:\n    realm: gin-deploy-test\n    path: ${path.join(dir, 'htpasswd')}\n`
    : '';
  if (options.auth) {
    writeFileSync(
      path.join(dir, 'htpasswd'),
      htpasswdLine(options.auth.username, options.auth.password) + '\n',
    );
  }
  const config = path.join(dir, 'config.yml');
  writeFileSync(
    config,
    `version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${storage}
  delete:
    enabled: true
http:
  addr: ${host}
${auth}`,
  );
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const url = `http://${host}`;
  const stop = async () => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`docker-registry exited with ${child.exitCode}: ${stderr}`);
    }
    try {
      const response = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
      if (response.status === 200 || response.status === 401) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `docker-registry did not answer on ${url}/v2/ within ${START_TIMEOUT_MS} ms: ${stderr}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { host, url, storage, stop };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
