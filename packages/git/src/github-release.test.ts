import { describe, expect, it } from '@jest/globals';
import net from 'node:net';
import { ensureGitHubRelease } from './github-release.js';

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('ensureGitHubRelease', () => {
  it('names method, host:port, path and cause when the API does not answer', async () => {
    const port = await closedPort();
    await expect(
      ensureGitHubRelease({
        repository: 'acme/api',
        tag: 'v1.2.3',
        name: 'v1.2.3',
        body: '',
        prerelease: false,
        makeLatest: true,
        token: 'test-token',
        apiUrl: `http://127.0.0.1:${port}`,
      }),
    ).rejects.toThrow(
      `could not look up the release of v1.2.3 in acme/api: GET 127.0.0.1:${port} /repos/acme/api/releases/tags/v1.2.3: connection refused: nothing listens there (ECONNREFUSED)`,
    );
  });
});
