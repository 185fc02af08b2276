import { appendFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCliArguments, usage } from './arguments.js';
import { findActions, runAction, SecretMasker } from '@gin-deploy/runner';
import { stepLog } from './step-log.js';

// dist/cli/index.js → the repository root, where each action's folder holds its action.yml.
const repoRoot = process.env.GIN_DEPLOY_ROOT ?? path.resolve(import.meta.dirname, '..', '..');
const ACTIONS = findActions(repoRoot);

async function cli(argv: string[]): Promise<number> {
  const parsed = parseCliArguments(argv, ACTIONS);
  if ('help' in parsed) {
    process.stdout.write(usage(ACTIONS));
    return parsed.help ? 0 : 2;
  }
  if ('error' in parsed) {
    process.stderr.write(`gin-deploy: ${parsed.error}\n\n${usage(ACTIONS)}`);
    return 2;
  }
  const actionDir = path.join(repoRoot, parsed.action);
  if (!existsSync(path.join(actionDir, 'action.yml'))) {
    process.stderr.write(`gin-deploy: ${actionDir}/action.yml not found\n`);
    return 2;
  }
  // Like the runner, everything shown after a step asked for a mask (log, summary, outputs) is masked.
  const masker = new SecretMasker();
  const log = stepLog(masker, (line) => process.stderr.write(line), process.env.RUNNER_DEBUG === '1');
  const run = await runAction({
    actionDir,
    inputs: parsed.inputs,
    env: {
      GITHUB_ACTIONS: process.env.GITHUB_ACTIONS ?? 'false',
      // Kept between runs, as on a self-hosted runner, so local runs reuse docker-multistage's layer cache.
      RUNNER_TOOL_CACHE:
        process.env.RUNNER_TOOL_CACHE ?? path.join(os.homedir(), '.cache', 'gin-deploy', 'tool-cache'),
    },
    workspace: process.cwd(),
    onOutput: log.write,
  });
  log.flush();
  if (parsed.summaryFile) appendFileSync(parsed.summaryFile, masker.mask(run.summary));
  if (parsed.json) {
    process.stdout.write(masker.mask(JSON.stringify(run.outputs, null, 2)) + '\n');
  } else {
    for (const [name, value] of Object.entries(run.outputs)) {
      if (name === 'json') continue;
      const line = value.includes('\n') ? `${name}<<EOF\n${value}\nEOF\n` : `${name}=${value}\n`;
      process.stdout.write(masker.mask(line));
    }
  }
  return run.exitCode;
}

process.exitCode = await cli(process.argv.slice(2));
