import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unescapeCommandData } from './command-data.js';
import { parseFileCommands } from './file-commands.js';
import { inputVariable, readActionMetadata, type ActionMetadata } from './metadata.js';

export interface RunActionOptions {
  /** The folder holding action.yml, e.g. `<repo>/inject-version`. */
  actionDir: string;
  inputs?: Record<string, string | number | boolean | undefined>;
  /** Extra environment for the step (GITHUB_* context, tokens…), merged over a clean base. */
  env?: Record<string, string | undefined>;
  /** The node binary; defaults to GIN_DEPLOY_NODE or the current one. */
  node?: string;
  workspace?: string;
  /** A folder for the runner's files; a fresh temporary one by default. */
  runnerDir?: string;
  timeoutMs?: number;
  /** Streams the step's output as it runs (the CLI), instead of only capturing it. */
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  /** Values handed over from an earlier phase (pre/main) through GITHUB_STATE, as STATE_<name>. */
  state?: Record<string, string>;
  /** Which of the action's entry points runs: `runs.main` (default) or `runs.post`. */
  phase?: 'main' | 'post';
  /** Called with the step's process once it started, e.g. to send it the runner's cancellation signals. */
  onStart?: (child: ChildProcess) => void;
}

export interface ActionRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  exportedEnv: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  addedPath: string[];
  /** The `::error::` and `::warning::` annotations the step printed, message only. */
  errors: string[];
  warnings: string[];
  durationMs: number;
  runnerDir: string;
  metadata: ActionMetadata;
}

/**
 * Runs an action's bundled `runs.main` as the GitHub runner does: defaults from action.yml, inputs as
 * INPUT_* variables, and outputs, env, state, path and summary read back from the runner's files.
 */
export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const metadata = readActionMetadata(options.actionDir);
  const script = metadata.runs[options.phase ?? 'main'];
  if (!script) throw new Error(`${options.actionDir}/action.yml has no runs.${options.phase}`);
  const entry = path.resolve(options.actionDir, script);
  if (!existsSync(entry)) throw new Error(`${entry} does not exist: build the bundles first (npm run build)`);
  const runnerDir = options.runnerDir ?? mkdtempSync(path.join(os.tmpdir(), 'gin-deploy-runner-'));
  const files = {
    GITHUB_OUTPUT: path.join(runnerDir, 'output'),
    GITHUB_ENV: path.join(runnerDir, 'env'),
    GITHUB_STATE: path.join(runnerDir, 'state'),
    GITHUB_PATH: path.join(runnerDir, 'path'),
    GITHUB_STEP_SUMMARY: path.join(runnerDir, 'summary.md'),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const temp = path.join(runnerDir, 'temp');
  const toolCache = path.join(runnerDir, 'tool-cache');
  mkdirSync(temp, { recursive: true });
  mkdirSync(toolCache, { recursive: true });

  const env: Record<string, string> = {
    ...baseEnvironment(),
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: os.arch() === 'arm64' ? 'ARM64' : 'X64',
    RUNNER_TEMP: temp,
    RUNNER_TOOL_CACHE: toolCache,
    GITHUB_WORKSPACE: options.workspace ?? process.cwd(),
    GITHUB_ACTION_PATH: options.actionDir,
    ...files,
  };
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value;
  for (const [name, input] of Object.entries(metadata.inputs)) {
    if (input.default !== undefined) env[inputVariable(name)] = input.default;
  }
  for (const [name, value] of Object.entries(options.inputs ?? {})) {
    if (value !== undefined) env[inputVariable(name)] = String(value);
  }
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }

  const started = Date.now();
  const node = options.node ?? process.env.GIN_DEPLOY_NODE ?? process.execPath;
  const { exitCode, stdout, stderr } = await spawnNode(node, entry, env, options);
  const read = (file: string) => readFileSync(file, 'utf8');
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseFileCommands(read(files.GITHUB_OUTPUT)),
    exportedEnv: parseFileCommands(read(files.GITHUB_ENV)),
    state: parseFileCommands(read(files.GITHUB_STATE)),
    addedPath: read(files.GITHUB_PATH).split('\n').filter(Boolean),
    summary: read(files.GITHUB_STEP_SUMMARY),
    errors: annotations(stdout, 'error'),
    warnings: annotations(stdout, 'warning'),
    durationMs: Date.now() - started,
    runnerDir,
    metadata,
  };
}

/** The runner's own variables are not inherited from the calling process: a step sees only what it is given. */
function baseEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(INPUT_|STATE_|GITHUB_|RUNNER_|ACTIONS_)/.test(key)) continue;
    env[key] = value;
  }
  return env;
}

function spawnNode(
  node: string,
  entry: string,
  env: Record<string, string>,
  options: RunActionOptions,
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [entry], { env, cwd: env.GITHUB_WORKSPACE, stdio: ['ignore', 'pipe', 'pipe'] });
    options.onStart?.(child);
    let stdout = '';
    let stderr = '';
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      options.onOutput?.(chunk.toString(), 'stdout');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      options.onOutput?.(chunk.toString(), 'stderr');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** Messages of `::error …::message` / `::warning …::message` workflow commands, unescaped. */
export function annotations(stdout: string, level: 'error' | 'warning' | 'notice'): string[] {
  const pattern = new RegExp(`^::${level}(?: [^:]*)?::(.*)$`, 'gm');
  return [...stdout.matchAll(pattern)].map((match) => unescapeCommandData(match[1]));
}
