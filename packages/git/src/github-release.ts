import { getOctokit } from '@actions/github';
import { cancellationSignal, networkError, throwIfCancelled } from '@gin-deploy/action';

export interface ReleaseRequest {
  /** `owner/name`, as in GITHUB_REPOSITORY. */
  repository: string;
  tag: string;
  name: string;
  body: string;
  prerelease: boolean;
  makeLatest: boolean;
  token: string;
  /** The REST API root; GITHUB_API_URL on a runner (GitHub Enterprise Server has its own). */
  apiUrl: string;
}

export interface ReleaseResult {
  url: string;
  created: boolean;
}

/**
 * Creates the GitHub release for a tag unless one exists already, so a re-run of the same job is a no-op.
 */
export async function ensureGitHubRelease(request: ReleaseRequest): Promise<ReleaseResult> {
  const [owner, repo] = request.repository.split('/');
  const octokit = getOctokit(request.token, { baseUrl: request.apiUrl });
  // Per request, beside @actions/github's own request options (its proxy-aware fetch): a cancelled job aborts the
  // requests in flight, and no release is created after it.
  const cancellable = { signal: cancellationSignal() };
  try {
    const existing = await octokit.rest.repos.getReleaseByTag({
      owner,
      repo,
      tag: request.tag,
      request: cancellable,
    });
    return { url: existing.data.html_url, created: false };
  } catch (error) {
    throwIfCancelled(`the release of ${request.tag} was looked up`);
    if ((error as { status?: number }).status !== 404)
      throw describe(error, 'look up the release of', request);
  }
  throwIfCancelled(`the release of ${request.tag} was created`);
  try {
    const created = await octokit.rest.repos.createRelease({
      owner,
      repo,
      tag_name: request.tag,
      name: request.name,
      body: request.body,
      draft: false,
      prerelease: request.prerelease,
      make_latest: request.makeLatest ? 'true' : 'false',
      request: cancellable,
    });
    return { url: created.data.html_url, created: true };
  } catch (error) {
    throwIfCancelled(`the release of ${request.tag} was created`);
    throw describe(error, 'create the release of', request);
  }
}

function describe(error: unknown, what: string, request: ReleaseRequest): Error {
  const failed = error as { status?: number; cause?: unknown; request?: { method?: string; url?: string } };
  // Octokit reports a request that got no answer as status 500 with fetch's error as the cause.
  if (failed.cause instanceof TypeError && failed.request?.url) {
    const described = networkError(failed.cause, failed.request.method ?? 'GET', failed.request.url);
    return new Error(`could not ${what} ${request.tag} in ${request.repository}: ${described.message}`);
  }
  const status = failed.status;
  const message = error instanceof Error ? error.message : String(error);
  return new Error(
    `could not ${what} ${request.tag} in ${request.repository} (${status ? `HTTP ${status}: ` : ''}${message})`,
  );
}
