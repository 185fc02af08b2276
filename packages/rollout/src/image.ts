import { parseReference, repositoryName } from '@gin-deploy/oci/reference';

/** A parsed image reference: `[domain/]path[:tag][@digest]`, following distribution's reference grammar. */
export interface ImageReference {
  /** Domain and path, normalised (`nginx` → `docker.io/library/nginx`): the part compared to find the container to update. */
  repository: string;
  tag?: string;
  digest?: string;
}

/** The reference, or undefined when it is not a valid image reference (the OCI package's grammar decides). */
export function parseImageReference(text: string): ImageReference | undefined {
  try {
    const reference = parseReference(text);
    return { repository: repositoryName(reference), tag: reference.tag, digest: reference.digest };
  } catch {
    return undefined;
  }
}

/** A tag can be moved to other content, so applying the same reference again does not roll anything out. */
export function isMutable(reference: ImageReference): boolean {
  return reference.digest === undefined;
}
