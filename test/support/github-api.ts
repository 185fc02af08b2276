import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/repos/acme/api/releases`. */
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The JSON body, parsed; undefined when there was none. */
  body: unknown;
}

interface Release {
  id: number;
  tag_name: string;
  name: string;
  body: string;
  draft: boolean;
  prerelease: boolean;
  html_url: string;
  upload_url: string;
  /** Names of the assets uploaded to the release. */
  assets: { name: string; size: number }[];
}

/**
 * A stand-in for the GitHub REST API at GITHUB_API_URL, on 127.0.0.1. It keeps the releases it is asked to
 * create (so a re-run finds them) and records every request for tests to assert on.
 */
export class FakeGitHubApi {
  readonly requests: RecordedRequest[] = [];
  readonly releases = new Map<string, Release>();

  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => this.handle(req, Buffer.concat(chunks), res));
  });
  url = '';

  static async start(): Promise<FakeGitHubApi> {
    const api = new FakeGitHubApi();
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    api.url = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
    return api;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, raw: Buffer, res: http.ServerResponse): void {
    const text = raw.toString();
    const path = req.url ?? '/';
    const upload = /^\/repos\/[^/]+\/[^/]+\/releases\/(\d+)\/assets\?name=([^&]+)/.exec(path);
    const body = text === '' || upload ? undefined : (JSON.parse(text) as unknown);
    this.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(payload));
    };
    if (!/^(token|bearer) \S+$/i.test(req.headers.authorization ?? '')) {
      send(401, { message: 'Requires authentication' });
      return;
    }
    if (req.method === 'POST' && upload) {
      const release = [...this.releases.values()].find((r) => r.id === Number(upload[1]));
      if (!release) {
        send(404, { message: 'Not Found' });
        return;
      }
      const asset = { name: decodeURIComponent(upload[2]), size: raw.length };
      release.assets.push(asset);
      send(201, asset);
      return;
    }
    const byTag = /^\/repos\/([^/]+)\/([^/]+)\/releases\/tags\/(.+)$/.exec(path);
    if (req.method === 'GET' && byTag) {
      const release = this.releases.get(decodeURIComponent(byTag[3]));
      if (release) send(200, release);
      else send(404, { message: 'Not Found' });
      return;
    }
    const create = /^\/repos\/([^/]+)\/([^/]+)\/releases$/.exec(path);
    if (req.method === 'POST' && create) {
      const input = body as Partial<Release>;
      if (!input?.tag_name) {
        send(422, { message: 'Validation Failed' });
        return;
      }
      const release: Release = {
        id: this.releases.size + 1,
        tag_name: input.tag_name,
        name: input.name ?? input.tag_name,
        body: input.body ?? '',
        draft: input.draft ?? false,
        prerelease: input.prerelease ?? false,
        html_url: `https://github.com/${create[1]}/${create[2]}/releases/tag/${input.tag_name}`,
        // GitHub answers with uploads.github.com; the stand-in takes uploads itself.
        upload_url: `${this.url}/repos/${create[1]}/${create[2]}/releases/${this.releases.size + 1}/assets{?name,label}`,
        assets: [],
      };
      this.releases.set(release.tag_name, release);
      send(201, release);
      return;
    }
    send(404, { message: 'Not Found' });
  }
}
