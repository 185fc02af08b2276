import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GitHubEventError, readGitHubEvent } from './github-event.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'github-event-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function payload(name: string, body: unknown): string {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
  return file;
}

const pullRequest = {
  number: 7,
  head: { sha: 'a'.repeat(40), ref: 'feature/login' },
  base: { sha: 'b'.repeat(40), ref: 'main' },
};

describe('readGitHubEvent', () => {
  it('takes the pull request from the payload on pull_request_target, where GITHUB_REF is the base branch', () => {
    const event = readGitHubEvent({
      GITHUB_EVENT_NAME: 'pull_request_target',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: 'b'.repeat(40),
      GITHUB_EVENT_PATH: payload('target', { action: 'opened', number: 7, pull_request: pullRequest }),
    });
    expect(event).toEqual({
      name: 'pull_request_target',
      sha: 'b'.repeat(40),
      pullRequest: { number: 7, headSha: 'a'.repeat(40), headRef: 'feature/login' },
    });
  });

  it('falls back to a refs/pull/<n>/merge ref without a payload', () => {
    expect(readGitHubEvent({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/42/merge' })).toEqual({
      name: 'pull_request',
      pullRequest: { number: 42 },
    });
  });

  it('has no pull request on other events, even with one in the payload', () => {
    const file = payload('push', { ref: 'refs/heads/main', pull_request: pullRequest });
    expect(
      readGitHubEvent({ GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: file }).pullRequest,
    ).toBeUndefined();
  });

  it("takes the release's tag on release events", () => {
    const file = payload('release', { action: 'published', release: { tag_name: 'v1.3.0', draft: false } });
    expect(readGitHubEvent({ GITHUB_EVENT_NAME: 'release', GITHUB_EVENT_PATH: file }).releaseTag).toBe(
      'v1.3.0',
    );
  });

  it('raises GitHubEventError on a payload that is missing or not a JSON object', () => {
    for (const file of [path.join(dir, 'missing.json'), payload('text', 'not json'), payload('list', [1])]) {
      expect(() => readGitHubEvent({ GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: file })).toThrow(
        GitHubEventError,
      );
    }
  });
});
