import { fetchWithRetry, type FetchRetryOptions } from '@gin-deploy/action';
import { basicAuthorization, parseChallenge, type Credentials } from './auth.js';
import { expectStatus, RegistryError } from './registry-error.js';

/**
 * The Distribution authentication handshake of one registry (go-containerregistry's remote/transport): a
 * request goes with what is known for its scopes; a 401 is answered by its challenge (a Bearer token for those
 * scopes from the realm, or Basic with the credentials) and the request is sent once more.
 */
export class AuthHandshake {
  private readonly tokens = new Map<string, string>();
  private useBasic = false;

  constructor(
    readonly domain: string,
    private readonly credentials?: Credentials,
    private readonly retry?: Pick<FetchRetryOptions, 'attempts' | 'minDelayMs' | 'maxDelayMs'>,
  ) {}

  /** `send` makes the request with the Authorization header it is given (none when undefined). */
  async send(
    scopes: string[],
    send: (authorization: string | undefined) => Promise<Response>,
  ): Promise<Response> {
    const scopeKey = scopes.join(' ');
    let response = await send(this.authorizationFor(scopeKey));
    if (response.status !== 401) return response;
    const challenge = parseChallenge(response.headers.get('www-authenticate'));
    await response.body?.cancel();
    if (challenge?.scheme === 'bearer' && challenge.params.realm) {
      this.tokens.set(scopeKey, await this.fetchToken(challenge.params, scopes));
    } else if (challenge?.scheme === 'basic' && this.credentials) {
      this.useBasic = true;
    } else {
      throw this.authError();
    }
    response = await send(this.authorizationFor(scopeKey));
    if (response.status === 401) {
      await response.body?.cancel();
      throw this.authError();
    }
    return response;
  }

  private authorizationFor(scopeKey: string): string | undefined {
    const token = this.tokens.get(scopeKey);
    if (token) return `Bearer ${token}`;
    if (this.useBasic && this.credentials) return basicAuthorization(this.credentials);
    return undefined;
  }

  private async fetchToken(params: Record<string, string>, scopes: string[]): Promise<string> {
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set('service', params.service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const headers: Record<string, string> = {};
    if (this.credentials) headers.authorization = basicAuthorization(this.credentials);
    const response = await fetchWithRetry(url, { headers }, { attempts: 4, ...this.retry });
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw this.authError();
    }
    await expectStatus(response, [200], `get a token from ${url.origin}${url.pathname}`);
    const body = (await response.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new RegistryError(`the token service ${url.origin} answered without a token`, 200);
    return token;
  }

  private authError(): RegistryAuthError {
    return new RegistryAuthError(this.domain, this.credentials);
  }
}

/** A registry that refused the credentials it was given, or asked for credentials when none were found. */
export class RegistryAuthError extends Error {
  constructor(
    readonly domain: string,
    /** What was sent, if anything: the user and where the credentials came from. */
    readonly credentials?: Pick<Credentials, 'username' | 'source'>,
  ) {
    super(
      credentials
        ? `registry ${domain} rejected the credentials of user '${credentials.username}' from ${credentials.source} (401 Unauthorized)`
        : `registry ${domain} requires authentication (401 Unauthorized)`,
    );
    this.name = 'RegistryAuthError';
  }
}
