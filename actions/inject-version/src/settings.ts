import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  booleanInput,
  enumInput,
  GitHubEventError,
  invalid,
  keyValueInput,
  optionalInput,
  readGitHubEvent,
  secretInput,
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
}

export function readSettings(): Settings {
  const dir = path.resolve(workspaceDir(), optionalInput('working-directory') ?? '.');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw invalid('working-directory', dir, 'an existing directory (the checked-out repository)');
  }
  const imageInput = optionalInput('image');
  const image = imageInput === undefined ? undefined : normalizeImage(imageInput);
  if (imageInput !== undefined && image === undefined) {
    throw invalid('image', imageInput, 'an image name such as ghcr.io/acme/api, without a tag');
  }
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
