import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  errorMessage,
  info,
  oneLine,
  Outputs,
  rfc3339,
  UserError,
  warning,
  withFailureOutputs,
  writeSummary,
  type GitHubEvent,
} from '@gin-deploy/action';
import { Git } from '@gin-deploy/git';
import {
  buildTime,
  compactTimestamp,
  detectLicense,
  dockerTags,
  formatLabels,
  formatSemVer,
  isHighestRelease,
  isPrerelease,
  ldflags,
  locateTags,
  ociLabels,
  parseCommit,
  releaseNotes,
  resolveVersion,
  VersionFormatError,
  webUrlOfRemote,
  type Resolution,
} from '@gin-deploy/version';
import { releaseCommit } from './release.js';
import { readSettings } from './settings.js';
import { writeVersionSummary } from './summary.js';
import { checkVariables } from './variables.js';

const SHORT = 7;

export async function main(): Promise<void> {
  // Every way out writes the declared outputs (empty: no version is handed on) and a summary before it fails.
  await withFailureOutputs((reason) => {
    failureOutputs().publish({ failure: true });
    writeSummary(['### inject-version failed', oneLine(errorMessage(reason))]);
  }, versionStep);
}

/** Every declared output, empty, and `released` false: `fromJSON` and `== 'true'` checks downstream still work. */
function failureOutputs(): Outputs {
  const outputs = new Outputs();
  for (const name of [
    'version',
    'tag',
    'previous-tag',
    'commit',
    'short-commit',
    'build-time',
    'is-release',
    'prerelease',
    'dirty',
    'branch',
    'commits-since-tag',
    'bump',
    'next-version',
    'release-url',
    'pull-request',
    'pull-request-sha',
    'ldflags',
    'docker-tags',
    'labels',
  ])
    outputs.set(name, '');
  return outputs.set('released', false);
}

async function versionStep(): Promise<void> {
  const settings = readSettings();
  const { dir, prefix, variables, runner } = settings;
  const { pullRequest } = settings.event;

  const git = new Git(dir);
  if (!(await git.isRepository())) {
    throw new UserError(
      `input 'working-directory': ${dir} is not inside a git repository; check the code out first (actions/checkout)`,
    );
  }
  const head = await git.head();
  if (!head) {
    throw new UserError(`the repository at ${dir} has no commits yet; commit something before versioning it`);
  }
  const short = head.slice(0, SHORT);
  const [shallow, dirty, localBranch, gitTagsAtHead, reachable, allTags, commitTime, topLevel, remoteUrl] =
    await Promise.all([
      git.isShallow(),
      git.isDirty(),
      git.branch(),
      git.tagsPointingAt('HEAD'),
      git.tagsMergedInto('HEAD'),
      git.allTags(),
      git.commitTime('HEAD'),
      git.topLevel(),
      git.remoteUrl(settings.remote),
    ]);
  // pull_request_target checks out the base branch: the build is the pull request's, not that branch's.
  const branch = pullRequest?.headRef ?? localBranch ?? runner.branch;
  const tagsAtHead = withReleaseTag(gitTagsAtHead, settings.event, head);
  if (pullRequest?.headSha && settings.event.name === 'pull_request_target' && pullRequest.headSha !== head) {
    warning(
      `pull_request_target: the checked-out commit ${short} is not the head ${pullRequest.headSha.slice(0, SHORT)} of pull request #${pullRequest.number}; ` +
        `the images tagged pr-${pullRequest.number} are built from the base branch's code (check out github.event.pull_request.head.sha to build the pull request)`,
    );
  }
  const location = locateTags(prefix, tagsAtHead, reachable);
  if (shallow && !location.current) {
    warning(
      `the repository is a shallow clone, so earlier tags and commits may be missing and the version may be too low; ` +
        `check out with 'fetch-depth: 0' (actions/checkout) to version from the full history`,
    );
  }
  const since = location.baseline?.tag;
  const [log, distance] = await Promise.all([git.log('HEAD', since), git.countCommits('HEAD', since)]);
  const commits = log.map(parseCommit);

  let resolution: Resolution;
  try {
    resolution = resolveVersion({
      location,
      commits,
      distance,
      bump: settings.bump,
      format: settings.format,
      commit: head,
      short,
      branch,
      timestamp: compactTimestamp(rfc3339(commitTime)),
      dirty,
    });
  } catch (error) {
    if (error instanceof VersionFormatError) throw new UserError(`input 'version-format': ${error.message}`);
    throw error;
  }

  const checks = await checkVariables(
    dir,
    settings.goPackage,
    [variables.version, variables.commit, variables.buildTime, ...settings.extra.map((a) => a.symbol)],
    settings.strict,
    runner.workspace,
  );

  const notes = releaseNotes(commits, SHORT);
  let released = false;
  let releaseUrl: string | undefined;
  if (settings.release) {
    ({ resolution, released, releaseUrl } = await releaseCommit(resolution, {
      git,
      remote: settings.remote,
      remoteUrl,
      prefix,
      head,
      shallow,
      dirty,
      reason: `bump is '${settings.bump}' and there is no feat, fix, perf or breaking commit since ${since ?? 'the first commit'}`,
      notes,
      token: settings.token,
      repository: runner.repository,
      apiUrl: runner.apiUrl,
      allTags,
    }));
  }

  const version = formatSemVer(resolution.version);
  const time = buildTime(settings.buildTime, {
    commitTime,
    sourceDateEpoch: runner.sourceDateEpoch,
    nowMs: Date.now(),
  });
  const tags = dockerTags({
    version: resolution.version,
    isRelease: resolution.isRelease,
    isHighestRelease: isHighestRelease(resolution.version, prefix, [...allTags, resolution.tag ?? '']),
    latest: settings.latest,
    short,
    branch,
    pullRequest: pullRequest?.number,
    image: settings.image,
  });
  const labels = ociLabels({
    title: runner.repository?.split('/')[1] ?? path.basename(topLevel),
    version,
    revision: head,
    created: time,
    source: runner.repositoryUrl ?? (remoteUrl ? webUrlOfRemote(remoteUrl) : undefined),
    licenses: license(topLevel),
  });

  const outputs = new Outputs();
  outputs.set('version', version);
  outputs.set('tag', resolution.tag ?? '');
  outputs.set('previous-tag', resolution.previousTag ?? '');
  outputs.set('commit', head);
  outputs.set('short-commit', short);
  outputs.set('build-time', time);
  outputs.set('is-release', resolution.isRelease);
  outputs.set('prerelease', isPrerelease(resolution.version));
  outputs.set('dirty', dirty);
  outputs.set('branch', branch ?? '');
  outputs.set('commits-since-tag', distance);
  outputs.set('bump', resolution.bump);
  outputs.set('next-version', resolution.next ? formatSemVer(resolution.next) : '');
  outputs.set('released', released);
  outputs.set('pull-request', pullRequest?.number ?? '');
  outputs.set('pull-request-sha', pullRequest?.headSha ?? '');
  outputs.set('release-url', releaseUrl ?? '');
  outputs.set(
    'ldflags',
    ldflags([
      { symbol: variables.version, value: version },
      { symbol: variables.commit, value: head },
      { symbol: variables.buildTime, value: time },
      ...settings.extra,
    ]),
  );
  outputs.set('docker-tags', tags.join('\n'));
  outputs.set('labels', formatLabels(labels));
  outputs.publish();
  info(`version ${version} (${resolution.isRelease ? `release ${resolution.tag}` : 'development build'})`);
  writeVersionSummary({ outputs: outputs.all, checks, notes: released ? notes : undefined, shallow });
}

/**
 * On a `release` event the release's tag counts as a tag of HEAD when HEAD is the released commit, even if
 * the checkout did not fetch the tag (a release created with its tag through the API).
 */
function withReleaseTag(tags: string[], event: GitHubEvent, head: string): string[] {
  const tag = event.releaseTag;
  return tag && event.sha === head && !tags.includes(tag) ? [...tags, tag] : tags;
}

function license(topLevel: string): string | undefined {
  for (const name of ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'COPYING']) {
    const file = path.join(topLevel, name);
    if (existsSync(file)) return detectLicense(readFileSync(file, 'utf8'));
  }
  return undefined;
}
