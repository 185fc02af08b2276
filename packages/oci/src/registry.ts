import { fetchWithRetry, NetworkError, RetryableHttpError, type FetchRetryOptions } from '@gin-deploy/action';
import type { Credentials } from './auth.js';
import { AuthHandshake } from './handshake.js';
import { digestOf, type Descriptor } from './image.js';
import { MANIFEST_ACCEPT } from './media-types.js';
import { registryHost } from './reference.js';
import { expectEmpty, expectStatus, RegistryError } from './registry-error.js';

export interface RegistryOptions {
  credentials?: Credentials;
  /** Hosts (with port) reached over plain HTTP besides localhost and 127.0.0.1. */
  insecureRegistries?: readonly string[];
  /** Retries of each request on network errors, 429 and 5xx. */
  retry?: Pick<FetchRetryOptions, 'attempts' | 'minDelayMs' | 'maxDelayMs'>;
  /** Blobs larger than this are uploaded in PATCH chunks of this size; smaller ones in one PUT. */
  chunkSize?: number;
  log?: (message: string) => void;
}

export interface ManifestResponse {
  mediaType: string;
  digest: string;
  data: Buffer;
}

export type BlobPushResult = 'exists' | 'mounted' | 'uploaded';

interface RequestOptions {
  /** What the request does, for error messages: `upload sha256:… to acme/api`. */
  what: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** Token scopes this request needs, e.g. `repository:acme/api:pull,push`. */
  scopes: string[];
  timeoutMs?: number;
}

const DEFAULT_CHUNK = 64 * 1024 * 1024;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Plain HTTP only for the loopback registries tests and local pipelines run, or those the user lists. */
export function registryBaseUrl(domain: string, insecure: readonly string[] = []): string {
  const host = registryHost(domain);
  const bare = host.replace(/:\d+$/, '');
  const plain = LOCAL_HOSTS.has(bare) || insecure.includes(host) || insecure.includes(bare);
  return `${plain ? 'http' : 'https'}://${host}`;
}

/** A client of one registry over the OCI Distribution API, with Bearer-token and Basic authentication. */
export class RegistryClient {
  readonly baseUrl: string;
  private readonly handshake: AuthHandshake;

  constructor(
    readonly domain: string,
    private readonly options: RegistryOptions = {},
  ) {
    this.baseUrl = registryBaseUrl(domain, options.insecureRegistries);
    this.handshake = new AuthHandshake(domain, options.credentials, options.retry);
  }

  async blobExists(repo: string, digest: string): Promise<boolean> {
    const response = await this.request('HEAD', `/v2/${repo}/blobs/${digest}`, {
      what: `HEAD blob ${digest} in ${repo}`,
      scopes: [pushScope(repo)],
    });
    if (response.status === 404) return false;
    await expectEmpty(response, [200], `HEAD blob ${digest} in ${repo}`);
    return true;
  }

  async getBlob(repo: string, digest: string): Promise<Buffer> {
    const response = await this.request('GET', `/v2/${repo}/blobs/${digest}`, {
      what: `GET blob ${digest} from ${repo}`,
      scopes: [pullScope(repo)],
      timeoutMs: 10 * 60_000,
    });
    await expectStatus(response, [200], `GET blob ${digest} from ${repo}`);
    const data = Buffer.from(await response.arrayBuffer());
    if (digestOf(data) !== digest)
      throw new RegistryError(`blob ${digest} from ${repo} does not match its digest`, 0);
    return data;
  }

  /** HEAD first; then a cross-repository mount when the blob is known to be in `mountFrom`; else an upload. */
  async pushBlob(
    repo: string,
    descriptor: Descriptor,
    data: () => Promise<Buffer>,
    mountFrom?: string,
  ): Promise<BlobPushResult> {
    if (await this.blobExists(repo, descriptor.digest)) return 'exists';
    let location: string | undefined;
    if (mountFrom && mountFrom !== repo) {
      const query = `mount=${encodeURIComponent(descriptor.digest)}&from=${encodeURIComponent(mountFrom)}`;
      const response = await this.request('POST', `/v2/${repo}/blobs/uploads/?${query}`, {
        what: `mount ${descriptor.digest} from ${mountFrom} into ${repo}`,
        scopes: [pushScope(repo), pullScope(mountFrom)],
      });
      await expectEmpty(response, [201, 202], `mount ${descriptor.digest} from ${mountFrom} into ${repo}`);
      if (response.status === 201) return 'mounted';
      location = response.headers.get('location') ?? undefined;
    }
    await this.upload(repo, descriptor, await data(), location);
    return 'uploaded';
  }

  private async upload(repo: string, descriptor: Descriptor, data: Buffer, started?: string): Promise<void> {
    let location = started;
    if (!location) {
      const response = await this.request('POST', `/v2/${repo}/blobs/uploads/`, {
        what: `start an upload to ${repo}`,
        scopes: [pushScope(repo)],
      });
      await expectEmpty(response, [202], `start an upload to ${repo}`);
      location = response.headers.get('location') ?? undefined;
    }
    if (!location)
      throw new RegistryError(`the registry started an upload to ${repo} without a Location`, 202);
    const chunkSize = this.options.chunkSize ?? DEFAULT_CHUNK;
    let final: Buffer = data;
    if (data.length > chunkSize) {
      for (let start = 0; start < data.length; start += chunkSize) {
        const chunk = data.subarray(start, Math.min(data.length, start + chunkSize));
        const response = await this.request('PATCH', location, {
          what: `upload bytes ${start}+ of ${descriptor.digest} to ${repo}`,
          scopes: [pushScope(repo)],
          body: chunk,
          timeoutMs: 10 * 60_000,
          headers: {
            'content-type': 'application/octet-stream',
            'content-range': `${start}-${start + chunk.length - 1}`,
          },
        });
        await expectEmpty(response, [202], `upload bytes ${start}+ of ${descriptor.digest} to ${repo}`);
        location = response.headers.get('location') ?? location;
      }
      final = Buffer.alloc(0);
    }
    const url = new URL(location, this.baseUrl);
    url.searchParams.set('digest', descriptor.digest);
    const response = await this.request('PUT', url.toString(), {
      what: `upload ${descriptor.digest} to ${repo}`,
      scopes: [pushScope(repo)],
      body: final,
      timeoutMs: 10 * 60_000,
      headers: { 'content-type': 'application/octet-stream' },
    });
    await expectEmpty(response, [201], `upload ${descriptor.digest} to ${repo}`);
  }

  async getManifest(repo: string, reference: string): Promise<ManifestResponse> {
    const response = await this.request('GET', `/v2/${repo}/manifests/${reference}`, {
      what: `GET manifest ${repo}:${reference}`,
      scopes: [pullScope(repo)],
      headers: { accept: MANIFEST_ACCEPT },
    });
    await expectStatus(response, [200], `GET manifest ${repo}:${reference}`);
    const data = Buffer.from(await response.arrayBuffer());
    const digest = digestOf(data);
    if (reference.startsWith('sha256:') && digest !== reference) {
      throw new RegistryError(`manifest ${repo}@${reference} does not match its digest`, 0);
    }
    const mediaType =
      (JSON.parse(data.toString('utf8')) as { mediaType?: string }).mediaType ??
      response.headers.get('content-type') ??
      '';
    return { mediaType, digest, data };
  }

  /** Returns the manifest's digest and whether the registry took note of its `subject` (OCI-Subject). */
  async putManifest(
    repo: string,
    reference: string,
    data: Buffer,
    mediaType: string,
  ): Promise<{ digest: string; subjectAccepted: boolean }> {
    const response = await this.request('PUT', `/v2/${repo}/manifests/${reference}`, {
      what: `PUT manifest ${repo}:${reference}`,
      scopes: [pushScope(repo)],
      body: data,
      headers: { 'content-type': mediaType },
    });
    await expectEmpty(response, [201], `PUT manifest ${repo}:${reference}`);
    return { digest: digestOf(data), subjectAccepted: response.headers.has('oci-subject') };
  }

  async listTags(repo: string): Promise<string[]> {
    const response = await this.request('GET', `/v2/${repo}/tags/list`, {
      what: `list the tags of ${repo}`,
      scopes: [pullScope(repo)],
    });
    if (response.status === 404) {
      await response.body?.cancel();
      return [];
    }
    await expectStatus(response, [200], `list the tags of ${repo}`);
    return ((await response.json()) as { tags?: string[] | null }).tags ?? [];
  }

  private async request(method: string, pathOrUrl: string, options: RequestOptions): Promise<Response> {
    try {
      return await this.authorizedRequest(method, pathOrUrl, options);
    } catch (error) {
      if (error instanceof RetryableHttpError) {
        const answer = error.message.replace(/^.* answered /s, '');
        throw new RegistryError(
          `${options.what} failed after ${this.attempts} attempts: ${answer}`,
          error.status,
        );
      }
      if (error instanceof NetworkError)
        throw new RegistryError(
          `${options.what} failed after ${this.attempts} attempts: ${error.message}`,
          0,
        );
      throw error;
    }
  }

  private get attempts(): number {
    return this.options.retry?.attempts ?? 4;
  }

  private async authorizedRequest(
    method: string,
    pathOrUrl: string,
    options: RequestOptions,
  ): Promise<Response> {
    const url = new URL(pathOrUrl, this.baseUrl).toString();
    const send = (authorization: string | undefined) => {
      const headers: Record<string, string> = { ...options.headers };
      if (authorization) headers.authorization = authorization;
      if (options.body) headers['content-length'] = String(options.body.length);
      return fetchWithRetry(
        url,
        { method, headers, body: options.body, redirect: 'follow' },
        {
          attempts: 4,
          minDelayMs: 250,
          ...this.options.retry,
          timeoutMs: options.timeoutMs ?? 60_000,
          onRetry: (error, attempt, delayMs) =>
            this.options.log?.(
              `retrying ${method} ${new URL(url).pathname} in ${delayMs} ms (attempt ${attempt} failed: ${(error as Error).message})`,
            ),
        },
      );
    };
    return this.handshake.send(options.scopes, send);
  }
}

export function pushScope(repo: string): string {
  return `repository:${repo}:pull,push`;
}

export function pullScope(repo: string): string {
  return `repository:${repo}:pull`;
}

/** Whether a registry is reached over plain HTTP (tools like buildah then need --tls-verify=false). */
export function isPlainHttp(domain: string, insecure: readonly string[] = []): boolean {
  return registryBaseUrl(domain, insecure).startsWith('http:');
}
