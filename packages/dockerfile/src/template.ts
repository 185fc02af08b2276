export interface TemplateOptions {
  /** The Go toolchain image of the builder stage. */
  goImage: string;
  /** `scratch`, or a final base such as gcr.io/distroless/static-debian12:nonroot. */
  finalBase: string;
  /** Main package relative to the context, e.g. `.` or `./cmd/api`. */
  goPackage: string;
  binaryName: string;
  port?: string;
  user: string;
  labels: Record<string, string>;
  env: Record<string, string>;
}

const NONROOT = 65532;

/**
 * The hardened multi-stage Dockerfile: the builder runs on the build platform and cross-compiles for the
 * target (no emulation), with module and build caches; the final stage holds the static binary, CA
 * certificates and a non-root user, and no shell.
 */
export function renderTemplate(options: TemplateOptions): string {
  const scratch = options.finalBase === 'scratch';
  const binary = `/usr/local/bin/${options.binaryName}`;
  const lines = [
    '# syntax=docker/dockerfile:1',
    '# Rendered by gin-deploy docker-multistage: a hardened multi-stage build of a Go service.',
    `FROM --platform=$BUILDPLATFORM ${options.goImage} AS build`,
    'ARG TARGETOS',
    'ARG TARGETARCH',
    'ARG LDFLAGS="-s -w"',
    'WORKDIR /src',
    'ENV CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOCACHE=/root/.cache/go-build GOMODCACHE=/go/pkg/mod',
    'COPY go.mod go.sum* ./',
    'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
    'COPY . .',
    'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \\',
    `    GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags="$LDFLAGS" -o /out/app ${quote(options.goPackage)}`,
    ...(scratch
      ? [
          'RUN mkdir -p /out/etc/ssl/certs /out/home/nonroot /out/tmp && chmod 1777 /out/tmp \\',
          `    && printf 'root:x:0:0:root:/root:/sbin/nologin\\nnonroot:x:${NONROOT}:${NONROOT}:nonroot:/home/nonroot:/sbin/nologin\\n' > /out/etc/passwd \\`,
          `    && printf 'root:x:0:\\nnonroot:x:${NONROOT}:\\n' > /out/etc/group \\`,
          '    && cp /etc/ssl/certs/ca-certificates.crt /out/etc/ssl/certs/',
        ]
      : []),
    '',
    `FROM ${options.finalBase}`,
    ...(scratch
      ? [
          'COPY --from=build /out/etc/ /etc/',
          `COPY --from=build --chown=${NONROOT}:${NONROOT} /out/home/nonroot /home/nonroot`,
          'COPY --from=build /out/tmp /tmp',
          'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt',
        ]
      : []),
    `COPY --from=build --chmod=0555 /out/app ${binary}`,
    ...Object.entries(options.env).map(([key, value]) => `ENV ${key}=${quote(value)}`),
    ...Object.entries(options.labels).map(([key, value]) => `LABEL ${quote(key)}=${quote(value)}`),
    ...(options.port ? [`EXPOSE ${options.port}`] : []),
    `USER ${options.user}`,
    `ENTRYPOINT ["${binary}"]`,
    '',
  ];
  return lines.join('\n');
}

/** A Dockerfile double-quoted word: quotes, backslashes and `$` escaped. */
function quote(value: string): string {
  return /^[\w./:@,+-]+$/.test(value) ? value : `"${value.replace(/(["\\$])/g, '\\$1')}"`;
}
