import { describe, expect, it } from '@jest/globals';
import { lintDockerfile } from './lint.js';
import { parseDockerfile, stages } from './parse.js';

describe('parseDockerfile', () => {
  it('joins continuations, drops comments and skips heredoc bodies', () => {
    const text =
      '# c\nFROM golang:1.26 AS build\nRUN a \\\n  # inner comment\n  && b\nRUN <<EOF\nUSER root\nEOF\nFROM scratch\nCOPY --from=build /x /x\n';
    const instructions = parseDockerfile(text);
    expect(instructions.map((i) => [i.keyword, i.line])).toEqual([
      ['FROM', 2],
      ['RUN', 3],
      ['RUN', 6],
      ['FROM', 9],
      ['COPY', 10],
    ]);
    expect(instructions[1].args).toMatch(/^a\s+&& b$/);
    expect(stages(instructions).map((s) => [s.image, s.name])).toEqual([
      ['golang:1.26', 'build'],
      ['scratch', undefined],
    ]);
  });
});

describe('lintDockerfile', () => {
  it('finds root, latest, ADD of URLs and secrets, with their lines', () => {
    const findings = lintDockerfile(
      [
        'FROM golang AS build',
        'ARG GITHUB_TOKEN',
        'ENV API_KEY=abc LOG_LEVEL=info',
        'ADD https://example.com/tool.tgz /tmp/',
        'FROM debian:latest',
        'COPY --from=build /out/app /app',
        'USER root',
      ].join('\n'),
    );
    expect(findings.map((f) => [f.rule, f.line])).toEqual([
      ['latest-tag', 1],
      ['secret-in-arg', 2],
      ['secret-in-env', 3],
      ['add-url', 4],
      ['latest-tag', 5],
      ['root-user', 7],
    ]);
    expect(findings[0].message).toBe('FROM golang uses no tag (latest); pin a version tag and a digest');
  });

  it('flags a final stage without USER, but not stage names, scratch, digests or variables', () => {
    const findings = lintDockerfile(
      [
        'ARG BASE=gcr.io/distroless/static',
        'FROM golang:1.26@sha256:' + 'a'.repeat(64) + ' AS build',
        'FROM ${BASE}',
        'FROM build AS again',
        'FROM scratch',
        'COPY --from=again /app /app',
      ].join('\n'),
    );
    expect(findings).toEqual([
      { rule: 'no-user', line: 5, message: expect.stringContaining('runs as root') },
    ]);
  });

  it('accepts a non-root final stage, even when an earlier stage runs as root', () => {
    expect(lintDockerfile('FROM golang:1.26 AS b\nUSER 0\nFROM scratch\nUSER 65532:65532\n')).toEqual([]);
    expect(lintDockerfile('FROM scratch\nUSER 0:0\n').map((f) => f.rule)).toEqual(['root-user']);
  });
});
