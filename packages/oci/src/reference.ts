// Image references per the distribution reference grammar (distribution/reference/regexp.go).

export const DEFAULT_DOMAIN = 'docker.io';

const ALPHA_NUMERIC = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALPHA_NUMERIC}(?:${SEPARATOR}${ALPHA_NUMERIC})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`;
const DOMAIN = `${HOST}(?::[0-9]+)?`;

const PATH_RE = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const DOMAIN_RE = new RegExp(`^${DOMAIN}$`);
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_RE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const SHA256_RE = /^sha256:[a-f0-9]{64}$/;
const NAME_MAX = 255;

export interface Reference {
  /** Registry host as written, with port: `ghcr.io`, `127.0.0.1:5000`, `docker.io`. */
  domain: string;
  /** Repository path inside the registry: `acme/api`, `library/alpine`. */
  path: string;
  tag?: string;
  digest?: string;
}

export class ReferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReferenceError';
  }
}

/** Parses `[domain/]path[:tag][@digest]`; throws ReferenceError saying which part is wrong. */
export function parseReference(text: string): Reference {
  const input = text.trim();
  if (input === '') throw new ReferenceError('the reference is empty');
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_RE.test(digest) || (digest.startsWith('sha256:') && !SHA256_RE.test(digest))) {
      throw new ReferenceError(`'${digest}' is not a digest (expected sha256:<64 hex digits>)`);
    }
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    checkTag(tag);
  }
  const { domain, path } = splitName(rest);
  return { domain, path, ...(tag !== undefined ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** A repository name without tag or digest. */
export function parseRepository(text: string): Reference {
  const ref = parseReference(text);
  if (ref.tag !== undefined || ref.digest !== undefined) {
    throw new ReferenceError(`'${text}' must be a repository name without a tag or digest`);
  }
  return ref;
}

export function checkTag(tag: string): void {
  if (!TAG_RE.test(tag)) {
    throw new ReferenceError(
      `tag '${tag}' is not valid: up to 128 characters of letters, digits, '_', '.' and '-', not starting with '.' or '-'`,
    );
  }
}

function splitName(name: string): { domain: string; path: string } {
  if (name === '') throw new ReferenceError('the repository name is empty');
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const isDomain =
    slash >= 0 &&
    (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase());
  let domain = isDomain ? first : DEFAULT_DOMAIN;
  let path = isDomain ? name.slice(slash + 1) : name;
  if (isDomain && !DOMAIN_RE.test(domain)) throw new ReferenceError(`'${domain}' is not a registry host`);
  if (!PATH_RE.test(path)) {
    throw new ReferenceError(
      `'${path}' is not a repository path: lower-case letters and digits separated by '/', '.', '_', '__' or '-'`,
    );
  }
  if (domain === 'index.docker.io') domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = `library/${path}`;
  if (`${domain}/${path}`.length > NAME_MAX) {
    throw new ReferenceError(`the repository name is longer than ${NAME_MAX} characters`);
  }
  return { domain, path };
}

/** `domain/path`, the name users write (docker.io kept explicit). */
export function repositoryName(ref: Reference): string {
  return `${ref.domain}/${ref.path}`;
}

export function formatReference(ref: Reference): string {
  return `${repositoryName(ref)}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** The host the Distribution API is served from (Docker Hub's differs from its name). */
export function registryHost(domain: string): string {
  return domain === DEFAULT_DOMAIN ? 'registry-1.docker.io' : domain;
}
