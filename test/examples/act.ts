// Runs the example workflows under a real workflow runner nobody here wrote: nektos/act 0.2.89 (installed
// by `make deps`, scripts/install-go-tools.sh), jobs on this host (`-P ubuntu-latest=-self-hosted`, no
// Docker), and gin-deploy's actions resolved as `gin-deploy/gin-deploy/<action>@v1` from this working tree.
//
// What act cannot run here is replaced, and only that:
// - `actions/setup-go` downloads Go from github.com: test/examples/stand-ins/setup-go puts the machine's Go
//   on PATH instead (the version go.mod asks for is the one the machine has).
// - `actions/checkout` without `ref` is handled by act itself (it copies the local repository into the
//   workspace). With `ref` act would clone the action from github.com: test/examples/stand-ins/checkout
//   clones the test's repository and checks the ref out, as the real action does from github.com.
// - GitHub's REST API is the local stand-in (test/support/github-api.ts) through GITHUB_API_URL.
// - `actions/cache/restore` and `actions/cache/save` would be downloaded from github.com: their stand-ins
//   (test/examples/stand-ins/cache) restore and save through @actions/cache, the library the real action is
//   built on, against act's cache server.
// - `actions/upload-artifact` would be downloaded from github.com and speaks GitHub's artifact service: its
//   stand-in copies the files into the test's artifact folder (`artifactDir`), where the test reads them.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ACTIONS, node24, repoRoot } from '../support/action.js';

export const act = path.join(
  process.env.GIN_DEPLOY_CACHE ?? path.join(os.homedir(), '.cache/gin-deploy'),
  'bin/act',
);
const standIns = path.join(repoRoot, 'test/examples/stand-ins');

export interface ActOptions {
  /** The repository act runs in (its `.github/workflows/` holds the workflow). */
  repo: string;
  /** File name under `.github/workflows/`. */
  workflow: string;
  /** `push`, `pull_request_target`, `workflow_dispatch`, `schedule`… */
  event: string;
  /** The webhook payload act hands the jobs as GITHUB_EVENT_PATH. */
  payload: object;
  vars?: Record<string, string>;
  /** Passed through act's environment (`-s NAME`), never on its command line. */
  secrets?: Record<string, string>;
  /** Environment of every job (`--env`). */
  env?: Record<string, string>;
  /** act's built-in cache server, storing under this folder; without it the jobs have no cache service. */
  cacheDir?: string;
  /** Where the upload-artifact stand-in keeps each artifact, as `<artifactDir>/<name>/`. */
  artifactDir?: string;
  /** Only this job (`-j`). */
  job?: string;
  timeoutMs?: number;
}

export interface Annotation {
  level: string;
  message: string;
  file?: string;
  line?: string;
}

export interface ActRun {
  exitCode: number;
  /** The result of each job act ran: success or failure. */
  jobs: Record<string, string>;
  /** Step outputs per job and step id. */
  outputs: Record<string, Record<string, Record<string, string>>>;
  annotations: Annotation[];
  /** Every message act logged, one per line, for assertions on what a step printed and for failures. */
  log: string;
  /** Each step's Markdown summary (act logs it as `Summary - …`). */
  summaries: string[];
  durationMs: number;
}

interface LogEntry {
  msg?: string;
  jobID?: string;
  jobResult?: string;
  stepID?: string[];
  command?: string;
  name?: string;
  arg?: string;
  kvPairs?: Record<string, string>;
}

let actionsDir: string | undefined;

/**
 * What a workflow's `uses: gin-deploy/gin-deploy/<action>@v1` downloads from GitHub: the action folders and
 * dist/ of this working tree (not node_modules, which a tag on GitHub does not hold either).
 */
function actionsCheckout(): string {
  if (actionsDir) return actionsDir;
  actionsDir = mkdtempSync(path.join(os.tmpdir(), 'gin-deploy-at-v1-'));
  for (const entry of ['package.json', 'dist', ...ACTIONS])
    cpSync(path.join(repoRoot, entry), path.join(actionsDir, entry), { recursive: true });
  return actionsDir;
}

/** Runs one event of one workflow under act and collects what its jobs reported. */
export async function runAct(options: ActOptions): Promise<ActRun> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'gin-deploy-act-'));
  const eventFile = path.join(work, 'event.json');
  writeFileSync(eventFile, JSON.stringify(options.payload));
  mkdirSync(path.join(work, 'actions'));
  const args = [
    options.event,
    '--json',
    '-W',
    path.join('.github/workflows', options.workflow),
    '-e',
    eventFile,
    '-P',
    'ubuntu-latest=-self-hosted',
    '--action-cache-path',
    path.join(work, 'actions'),
    '--local-repository',
    `gin-deploy/gin-deploy@v1=${actionsCheckout()}`,
    '--local-repository',
    `actions/setup-go@v6=${path.join(standIns, 'setup-go')}`,
    '--local-repository',
    `actions/checkout@v6=${path.join(standIns, 'checkout')}`,
    '--local-repository',
    `actions/cache@v5=${path.join(standIns, 'cache')}`,
    '--local-repository',
    `actions/upload-artifact@v6=${path.join(standIns, 'upload-artifact')}`,
    // The repository's address on GitHub, for github.repository; `origin` stays the test's own remote.
    '--remote-name',
    'github',
    '--env',
    `GIN_DEPLOY_TEST_ORIGIN=${options.repo}`,
    '--env',
    `GIN_DEPLOY_TEST_ROOT=${repoRoot}`,
  ];
  if (options.artifactDir) args.push('--env', `GIN_DEPLOY_TEST_ARTIFACTS=${options.artifactDir}`);
  if (options.cacheDir) {
    args.push(
      '--cache-server-path',
      options.cacheDir,
      '--cache-server-addr',
      '127.0.0.1',
      '--cache-server-port',
      '0',
    );
  } else {
    args.push('--no-cache-server');
  }
  if (options.job) args.push('-j', options.job);
  for (const [name, value] of Object.entries(options.vars ?? {})) args.push('--var', `${name}=${value}`);
  for (const [name, value] of Object.entries(options.env ?? {})) args.push('--env', `${name}=${value}`);
  for (const name of Object.keys(options.secrets ?? {})) args.push('-s', name);

  const env: NodeJS.ProcessEnv = {
    ...withoutRunnerVariables(process.env),
    ...options.secrets,
    // `runs.using: node24`: act on the host runs the `node` it finds first on PATH.
    PATH: `${path.dirname(node24)}:${process.env.PATH}`,
  };
  const started = Date.now();
  const { exitCode, stdout } = await spawnAct(args, options.repo, env, options.timeoutMs ?? 10 * 60_000);
  return { ...parseLog(stdout), exitCode, durationMs: Date.now() - started };
}

function withoutRunnerVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env))
    if (!/^(INPUT_|STATE_|GITHUB_|RUNNER_|ACTIONS_)/.test(key)) clean[key] = value;
  return clean;
}

function spawnAct(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ exitCode: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(act, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? 1, stdout });
    });
  });
}

function parseLog(text: string): Omit<ActRun, 'exitCode' | 'durationMs'> {
  const run: Omit<ActRun, 'exitCode' | 'durationMs'> = {
    jobs: {},
    outputs: {},
    annotations: [],
    log: '',
    summaries: [],
  };
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    let entry: LogEntry;
    try {
      entry = JSON.parse(line) as LogEntry;
    } catch {
      if (line.trim()) lines.push(line);
      continue;
    }
    const job = entry.jobID ?? '';
    if (entry.msg) lines.push(`[${job}] ${entry.msg.trimEnd()}`);
    if (entry.jobResult) run.jobs[job] = entry.jobResult;
    const step = entry.stepID?.[0];
    if (entry.command === 'set-output' && step && entry.name !== undefined) {
      run.outputs[job] ??= {};
      run.outputs[job][step] ??= {};
      run.outputs[job][step][entry.name] = entry.arg ?? '';
    }
    if (entry.command === 'warning' || entry.command === 'error' || entry.command === 'notice') {
      run.annotations.push({
        level: entry.command,
        message: entry.arg ?? '',
        file: entry.kvPairs?.file,
        line: entry.kvPairs?.line,
      });
    }
    const summary = /^\s*⚙\s+Summary - ([\s\S]*)$/.exec(entry.msg ?? '');
    if (summary) run.summaries.push(summary[1]);
  }
  run.log = lines.join('\n');
  return run;
}

/** Lets a failing run explain itself: the jobs' results and the end of act's log. */
export function describeAct(run: ActRun): string {
  return `act exit ${run.exitCode}, jobs ${JSON.stringify(run.jobs)}\n${run.log.split('\n').slice(-80).join('\n')}`;
}
