import { describe, expect, it } from '@jest/globals';
import { buildxArgs, ghaCacheAvailable } from './buildx.js';
import { budArgs, manifestPushArgs } from './buildah.js';
import { lintDockerfile } from './lint.js';
import { renderTemplate } from './template.js';

const options = {
  goImage: 'docker.io/library/golang:1.26-bookworm',
  finalBase: 'scratch',
  goPackage: './cmd/api',
  binaryName: 'api',
  port: '8080',
  user: '65532:65532',
  labels: {
    'org.opencontainers.image.version': '1.2.3',
    'org.opencontainers.image.description': 'say "hi" $HOME',
  },
  env: { GIN_MODE: 'release' },
};

describe('renderTemplate', () => {
  it('renders a cross-compiling builder and a non-root final stage that pass lint', () => {
    const text = renderTemplate(options);
    expect(text).toContain('FROM --platform=$BUILDPLATFORM docker.io/library/golang:1.26-bookworm AS build');
    expect(text).toContain(
      'GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags="$LDFLAGS" -o /out/app ./cmd/api',
    );
    expect(text).toContain('CGO_ENABLED=0');
    expect(text).toContain(
      'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build',
    );
    expect(text).toContain('COPY --from=build --chmod=0555 /out/app /usr/local/bin/api');
    expect(text).toContain('LABEL org.opencontainers.image.description="say \\"hi\\" \\$HOME"');
    expect(text).toMatch(/USER 65532:65532\nENTRYPOINT \["\/usr\/local\/bin\/api"\]\n$/);
    expect(text).toContain('EXPOSE 8080');
    expect(lintDockerfile(text)).toEqual([]);
  });

  it('uses a distroless base as is, without the scratch extras', () => {
    const text = renderTemplate({ ...options, finalBase: 'gcr.io/distroless/static-debian12:nonroot' });
    expect(text).toContain('\nFROM gcr.io/distroless/static-debian12:nonroot\n');
    expect(text).not.toContain('/out/etc');
  });
});

describe('builder arguments', () => {
  it('docker buildx build exports both platforms as an OCI layout, with the metadata file and the gha cache', () => {
    expect(
      buildxArgs({
        dockerfile: '/tmp/Dockerfile',
        context: '/ws',
        platforms: ['linux/amd64', 'linux/arm64'],
        buildArgs: { LDFLAGS: '-s -w -X main.Version=1.2.3' },
        labels: { 'org.opencontainers.image.version': '1.2.3' },
        annotations: { 'org.opencontainers.image.title': 'api' },
        outputDir: '/tmp/layout',
        metadataFile: '/tmp/meta.json',
        ghaCache: true,
      }),
    ).toEqual([
      'buildx',
      'build',
      '--platform',
      'linux/amd64,linux/arm64',
      '--file',
      '/tmp/Dockerfile',
      '--build-arg',
      'LDFLAGS=-s -w -X main.Version=1.2.3',
      '--label',
      'org.opencontainers.image.version=1.2.3',
      '--annotation',
      'index,manifest:org.opencontainers.image.title=api',
      '--output',
      'type=oci,dest=/tmp/layout,tar=false',
      '--metadata-file',
      '/tmp/meta.json',
      '--provenance=false',
      '--cache-from',
      'type=gha',
      '--cache-to',
      'type=gha,mode=max',
      '/ws',
    ]);
  });

  it('docker buildx build never pushes or tags itself, and uses no cache outside Actions', () => {
    const args = buildxArgs({
      dockerfile: 'Dockerfile',
      context: '.',
      platforms: ['linux/amd64'],
      buildArgs: {},
      labels: {},
      annotations: {},
      outputDir: '/ws/oci',
      metadataFile: '/tmp/m.json',
      ghaCache: ghaCacheAvailable({}),
    });
    expect(args).toContain('type=oci,dest=/ws/oci,tar=false');
    expect(args).not.toContain('--push');
    expect(args).not.toContain('--tag');
    expect(args).not.toContain('type=gha');
    expect(ghaCacheAvailable({ ACTIONS_RESULTS_URL: 'https://x', ACTIONS_RUNTIME_TOKEN: 't' })).toBe(true);
  });

  it('buildah keeps credentials in an auth file and TLS off only when asked', () => {
    const global = { storageDriver: 'vfs', tlsVerify: false, authFile: '/tmp/auth.json' };
    const bud = budArgs(global, {
      dockerfile: 'D',
      context: 'ctx',
      platform: 'linux/arm64',
      tag: 'localhost/x:arm64',
      buildArgs: { A: '1' },
      iidFile: '/tmp/iid',
    });
    expect(bud).toEqual([
      '--storage-driver',
      'vfs',
      'bud',
      '--isolation',
      'chroot',
      '--platform',
      'linux/arm64',
      '--file',
      'D',
      '--tag',
      'localhost/x:arm64',
      '--iidfile',
      '/tmp/iid',
      '--tls-verify=false',
      '--authfile',
      '/tmp/auth.json',
      '--build-arg',
      'A=1',
      'ctx',
    ]);
    expect(
      manifestPushArgs({ storageDriver: 'vfs', tlsVerify: true }, 'l', 'docker://r/x:1', '/tmp/d'),
    ).toEqual([
      '--storage-driver',
      'vfs',
      'manifest',
      'push',
      '--all',
      '--digestfile',
      '/tmp/d',
      '--tls-verify=true',
      'l',
      'docker://r/x:1',
    ]);
  });
});
