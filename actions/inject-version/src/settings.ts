import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  booleanInput,
  enumInput,
  GitHubEventError,
  githubApiUrl,
  githubRepository,
  invalid,
  keyValueInput,
  optionalInput,
  readGitHubEvent,
  refBranch,
  repositoryUrl,
  secretInput,
  sourceDateEpoch,
  UserError,
  workspaceDir,
  type GitHubEvent,
} from '@gin-deploy/action';
import {
  DEFAULT_DEV_FORMAT,
  LdflagsError,
  normalizeImage,
  quoteGoArg,
  splitSymbol,
  type Assignment,
  type BumpPolicy,
  type LatestPolicy,
} from '@gin-deploy/version';
import { ReferenceError } from '@gin-deploy/oci/reference';

/** The step's inputs, read and checked once, before anything runs. */
export interface Settings {
  dir: string;
  prefix: string;
  format: string;
  bump: BumpPolicy;
  release: boolean;
  token?: string;
  remote: string;
  buildTime: 'commit' | 'now';
  goPackage: string;
  variables: { version: string; commit: string; buildTime: string };
  extra: Assignment[];
  strict: boolean;
  image?: string;
  latest: LatestPolicy;
  /** The event that started the run: its pull request or release tag. */
  event: GitHubEvent;
  /** What the runner says about the run beyond the inputs. */
  runner: {
    workspace: string;
    sourceDateEpoch?: number;
    /** The run's branch from the runner's context, for a detached HEAD. */
    branch?: string;
    /** `owner/name`. */
    repository?: string;
    repositoryUrl?: string;
    apiUrl: string;
  };
}

export function readSettings(): Settings {
  const workspace = workspaceDir();
  const dir = path.resolve(workspace, optionalInput('working-directory') ?? '.');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw invalid('working-directory', dir, 'an existing directory (the checked-out repository)');
  }
  const imageInput = optionalInput('image');
  const image = imageInput === undefined ? undefined : imageName(imageInput);
  return {
    dir,
    prefix: tagPrefix(optionalInput('tag-prefix') ?? 'v'),
    format: optionalInput('version-format') ?? DEFAULT_DEV_FORMAT,
    bump: enumInput('bump', ['auto', 'major', 'minor', 'patch', 'none'] as const, 'auto'),
    release: booleanInput('release', false),
    token: secretInput('token'),
    remote: optionalInput('remote') ?? 'origin',
    buildTime: enumInput('build-time', ['commit', 'now'] as const, 'commit'),
    goPackage: optionalInput('go-package') ?? '.',
    variables: {
      version: goSymbol('version-variable', optionalInput('version-variable') ?? 'main.Version'),
      commit: goSymbol('commit-variable', optionalInput('commit-variable') ?? 'main.GitCommit'),
      buildTime: goSymbol('build-time-variable', optionalInput('build-time-variable') ?? 'main.BuildTime'),
    },
    extra: extraVariables(),
    strict: booleanInput('strict', false),
    image,
    latest: enumInput('latest', ['auto', 'true', 'false'] as const, 'auto'),
    event: githubEvent(),
    runner: {
      workspace,
      sourceDateEpoch: sourceDateEpoch(),
      branch: refBranch(),
      repository: githubRepository(),
      repositoryUrl: repositoryUrl(),
      apiUrl: githubApiUrl(),
    },
  };
}

function githubEvent(): GitHubEvent {
  try {
    return readGitHubEvent();
  } catch (error) {
    if (error instanceof GitHubEventError) throw new UserError(`GITHUB_EVENT_PATH: ${error.message}`);
    throw error;
  }
}

function imageName(value: string): string {
  try {
    return normalizeImage(value);
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    throw invalid('image', value, `an image name such as ghcr.io/acme/api, without a tag (${error.message})`);
  }
}

function tagPrefix(value: string): string {
  if (value === 'none') return '';
  const ok = /^[A-Za-z0-9._/-]*$/.test(value) && !/\.\.|\/\/|^[/.-]|\.lock\//.test(value);
  if (!ok) throw invalid('tag-prefix', value, "a tag prefix such as v or api/v ('none' for bare X.Y.Z tags)");
  return value;
}

function goSymbol(name: string, value: string): string {
  if (!splitSymbol(value)) {
    throw invalid(name, value, 'a Go symbol such as main.Version or example.com/app/build.Version');
  }
  return value;
}

/** Further `-X` assignments; their values must survive cmd/go's -ldflags quoting. */
function extraVariables(): Assignment[] {
  return Object.entries(keyValueInput('variables')).map(([symbol, value]) => {
    if (!splitSymbol(symbol)) {
      throw invalid(
        'variables',
        `${symbol}=${value}`,
        'lines of <package>.<Variable>=<value>, e.g. main.Environment=production',
      );
    }
    try {
      quoteGoArg(`${symbol}=${value}`);
    } catch (error) {
      if (error instanceof LdflagsError) throw new UserError(`input 'variables': ${error.message}`);
      throw error;
    }
    return { symbol, value };
  });
}
