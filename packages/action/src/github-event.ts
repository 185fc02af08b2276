import { readFileSync } from 'node:fs';

/** The pull request a run builds. */
export interface PullRequest {
  number: number;
  /** The head commit of the pull request (its branch's tip), 40 hex digits; absent when known from the ref only. */
  headSha?: string;
  /** The pull request's branch, e.g. `feature/login`. */
  headRef?: string;
}

/** What the event that started the run says about what is built, beyond `GITHUB_REF`. */
export interface GitHubEvent {
  /** `GITHUB_EVENT_NAME`, e.g. `push`, `pull_request_target`, `release`. */
  name?: string;
  /** `GITHUB_SHA`: the commit the event is about (on `release`, the tagged commit). */
  sha?: string;
  pullRequest?: PullRequest;
  /** The release's tag (`release.tag_name`) on `release` events. */
  releaseTag?: string;
}

/** The event payload file cannot be read or is not the JSON object GitHub writes. */
export class GitHubEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitHubEventError';
  }
}

const PULL_REQUEST_EVENTS = /^pull_request(_target|_review|_review_comment)?$/;

/**
 * Reads the run's event from the runner's variables and its payload file (`GITHUB_EVENT_PATH`, the webhook
 * payload of docs.github.com "Webhook events and payloads"), as docker/metadata-action and @actions/github's
 * `context` do. The pull request comes from `pull_request.number`/`.head` in the payload, or, without a
 * payload, from a `refs/pull/<n>/merge` ref: on `pull_request_target` `GITHUB_REF` is the base branch, so the
 * ref alone would name the base branch. Throws GitHubEventError when the payload file is unreadable or not
 * JSON; a missing variable means no payload (a run outside Actions).
 */
export function readGitHubEvent(env: NodeJS.ProcessEnv = process.env): GitHubEvent {
  const name = env.GITHUB_EVENT_NAME || undefined;
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  const event: GitHubEvent = { name, sha: env.GITHUB_SHA || undefined };
  if (name && PULL_REQUEST_EVENTS.test(name)) {
    event.pullRequest = pullRequestOf(payload) ?? pullRequestOfRef(env.GITHUB_REF);
  }
  if (name === 'release' && typeof payload.release?.tag_name === 'string') {
    event.releaseTag = payload.release.tag_name;
  }
  return event;
}

interface Payload {
  pull_request?: { number?: unknown; head?: { sha?: unknown; ref?: unknown } };
  release?: { tag_name?: unknown };
}

function readPayload(file: string | undefined): Payload {
  if (!file) return {};
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new GitHubEventError(`the event payload ${file} cannot be read: ${(error as Error).message}`);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new GitHubEventError(`the event payload ${file} is not JSON`);
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new GitHubEventError(`the event payload ${file} is not a JSON object`);
  }
  return payload as Payload;
}

function pullRequestOf(payload: Payload): PullRequest | undefined {
  const pr = payload.pull_request;
  if (typeof pr?.number !== 'number' || !Number.isInteger(pr.number)) return undefined;
  const { sha, ref } = pr.head ?? {};
  return {
    number: pr.number,
    headSha: typeof sha === 'string' ? sha : undefined,
    headRef: typeof ref === 'string' ? ref : undefined,
  };
}

function pullRequestOfRef(ref: string | undefined): PullRequest | undefined {
  const match = /^refs\/pull\/(\d+)\/(?:merge|head)$/.exec(ref ?? '');
  return match ? { number: Number(match[1]) } : undefined;
}
