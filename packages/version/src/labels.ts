export interface LabelContext {
  version: string;
  revision: string;
  created: string;
  /** The repository's web address, e.g. https://github.com/acme/api. */
  source?: string;
  title?: string;
  url?: string;
  /** An SPDX expression. */
  licenses?: string;
}

/** The `org.opencontainers.image.*` annotations (OCI image spec, annotations.md) that are known. */
export function ociLabels(context: LabelContext): Record<string, string> {
  const labels: Record<string, string> = {};
  const put = (key: string, value: string | undefined) => {
    if (value) labels[`org.opencontainers.image.${key}`] = value;
  };
  put('title', context.title);
  put('version', context.version);
  put('revision', context.revision);
  put('created', context.created);
  put('source', context.source);
  put('url', context.url ?? context.source);
  put('licenses', context.licenses);
  return labels;
}

export function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}

const LICENSES: [string, RegExp][] = [
  ['Apache-2.0', /Apache License,?\s+Version 2\.0/i],
  ['MPL-2.0', /Mozilla Public License,?\s+(?:Version|v\.)\s*2\.0/i],
  ['AGPL-3.0', /GNU AFFERO GENERAL PUBLIC LICENSE\s+Version 3/i],
  ['LGPL-3.0', /GNU LESSER GENERAL PUBLIC LICENSE\s+Version 3/i],
  ['GPL-3.0', /GNU GENERAL PUBLIC LICENSE\s+Version 3/i],
  ['GPL-2.0', /GNU GENERAL PUBLIC LICENSE\s+Version 2/i],
  ['BSD-3-Clause', /Neither the name of .* nor the names of its\s+contributors/is],
  ['BSD-2-Clause', /Redistributions in binary form must reproduce/i],
  ['ISC', /Permission to use, copy, modify, and\/or distribute this software for any/i],
  ['Unlicense', /This is free and unencumbered software released into the public domain/i],
  ['MIT', /Permission is hereby granted, free of charge, to any person obtaining a copy/i],
];

/** The SPDX identifier of a license file's text, for the well-known licenses; undefined otherwise. */
export function detectLicense(text: string): string | undefined {
  return LICENSES.find(([, pattern]) => pattern.test(text))?.[0];
}

/**
 * A web address for a git remote: `git@github.com:acme/api.git` and `https://token@github.com/acme/api.git`
 * both become `https://github.com/acme/api`; a local path gives undefined.
 */
export function webUrlOfRemote(remote: string): string | undefined {
  const scp = /^[\w.-]+@([\w.-]+):(.+?)(?:\.git)?\/?$/.exec(remote);
  if (scp) return `https://${scp[1]}/${scp[2]}`;
  try {
    const url = new URL(remote);
    if (!['https:', 'http:', 'ssh:', 'git:'].includes(url.protocol)) return undefined;
    const path = url.pathname.replace(/\.git\/?$/, '').replace(/\/$/, '');
    return `https://${url.hostname}${path}`;
  } catch {
    return undefined;
  }
}
