/** A parsed image reference: `[domain/]path[:tag][@digest]`, following distribution's reference grammar. */
export interface ImageReference {
  /** Domain and path, without tag or digest: the part compared to find the container to update. */
  repository: string;
  tag?: string;
  digest?: string;
}

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const DOMAIN =
  '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?';
const REFERENCE = new RegExp(
  `^((?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*)(?::([\\w][\\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$`,
);

export function parseImageReference(text: string): ImageReference | undefined {
  const match = REFERENCE.exec(text);
  if (!match || text.length > 255 + 200) return undefined;
  const [, repository, tag, digest] = match;
  if (digest?.startsWith('sha256:') && !/^sha256:[0-9a-f]{64}$/.test(digest)) return undefined;
  return { repository: normalizeRepository(repository), tag, digest };
}

/** `nginx` and `docker.io/library/nginx` are the same repository. */
export function normalizeRepository(repository: string): string {
  const first = repository.split('/')[0];
  const hasDomain =
    repository.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const withDomain = hasDomain ? repository : `docker.io/${repository}`;
  return withDomain.startsWith('docker.io/') && withDomain.split('/').length === 2
    ? withDomain.replace('docker.io/', 'docker.io/library/')
    : withDomain;
}

/** A tag can be moved to other content, so applying the same reference again does not roll anything out. */
export function isMutable(reference: ImageReference): boolean {
  return reference.digest === undefined;
}
