import path from 'node:path';
import {
  booleanInput,
  enumInput,
  jsonInput,
  keyValueInput,
  listInput,
  optionalInput,
  requiredInput,
  secretInput,
  UserError,
} from '@gin-deploy/action';
import {
  checkTag,
  parseReference,
  parseRepository,
  ReferenceError,
  repositoryName,
  type PlatformBinary,
  type Reference,
} from '@gin-deploy/oci';
import { linuxBinaries } from './artifacts.js';

export const BUILDERS = ['auto', 'assemble', 'buildah', 'docker'] as const;
export const LINT_LEVELS = ['off', 'warn', 'strict'] as const;

export interface Settings {
  builder: 'assemble' | 'buildah' | 'docker';
  image: Reference;
  tags: string[];
  binaries: PlatformBinary[];
  platforms: string[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** undefined for scratch. */
  base?: Reference;
  push: boolean;
  outputDir: string;
  username?: string;
  password?: string;
  insecureRegistries: string[];
  dockerfile?: string;
  context: string;
  buildArgs: Record<string, string>;
  lint: (typeof LINT_LEVELS)[number];
  sbom: boolean;
  entrypoint?: string[];
  port?: string;
  env: Record<string, string>;
  user: string;
  tzdata: boolean;
  binaryName: string;
  epoch: number;
  goImage: string;
  ldflags: string;
  goPackage: string;
  workspace: string;
}

export function readSettings(): Settings {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const image = readImage();
  const artifacts = jsonInput<unknown>('artifacts');
  const platforms = listInput('platforms');
  const chosen = enumInput('builder', BUILDERS, 'auto');
  const builder = chosen !== 'auto' ? chosen : artifacts !== undefined ? 'assemble' : 'buildah';
  if (builder === 'assemble' && artifacts === undefined) {
    throw new UserError(
      `input 'artifacts' is required by builder 'assemble'; pass go-cross-build's artifacts output`,
    );
  }
  const epochText = optionalInput('source-date-epoch') ?? process.env.SOURCE_DATE_EPOCH ?? '0';
  if (!/^\d+$/.test(epochText)) {
    throw new UserError(
      `input 'source-date-epoch': '${epochText}' is not valid; expected whole seconds since 1970`,
    );
  }
  const port = optionalInput('port');
  if (port !== undefined && !/^\d{1,5}(\/(tcp|udp))?$/.test(port)) {
    throw new UserError(`input 'port': '${port}' is not valid; expected a port such as 8080 or 8080/tcp`);
  }
  const entrypoint = optionalInput('entrypoint');
  const baseText = optionalInput('base') ?? 'scratch';
  return {
    builder,
    image,
    tags: readTags(image),
    binaries:
      artifacts !== undefined && builder === 'assemble' ? linuxBinaries(artifacts, platforms, workspace) : [],
    platforms,
    labels: keyValueInput('labels'),
    annotations: keyValueInput('annotations'),
    base: baseText === 'scratch' ? undefined : readBase(baseText),
    push: booleanInput('push', true),
    outputDir: path.resolve(workspace, optionalInput('output-dir') ?? 'oci-layout'),
    username: optionalInput('registry-username'),
    password: secretInput('registry-password'),
    insecureRegistries: listInput('insecure-registries'),
    dockerfile: optionalInput('dockerfile'),
    context: path.resolve(workspace, optionalInput('context') ?? '.'),
    buildArgs: keyValueInput('build-args'),
    lint: enumInput('lint', LINT_LEVELS, 'warn'),
    sbom: booleanInput('sbom', true),
    entrypoint: entrypoint ? parseEntrypoint(entrypoint) : undefined,
    port: port === undefined ? undefined : port,
    env: keyValueInput('env'),
    user: optionalInput('user') ?? '65532:65532',
    tzdata: booleanInput('tzdata', false),
    binaryName: optionalInput('binary-name') ?? image.path.split('/').pop()!,
    epoch: Number(epochText),
    goImage: optionalInput('go-image') ?? 'docker.io/library/golang:1.26-bookworm',
    ldflags: optionalInput('ldflags') ?? '-s -w',
    goPackage: optionalInput('go-package') ?? '.',
    workspace,
  };
}

function readImage(): Reference {
  const text = requiredInput('image', 'an image name such as ghcr.io/acme/api');
  try {
    return parseRepository(text);
  } catch (error) {
    if (error instanceof ReferenceError)
      throw new UserError(`input 'image': '${text}' is not a valid image name: ${error.message}`);
    throw error;
  }
}

/** Bare tags, or full references of the same repository (inject-version's docker-tags may give either). */
function readTags(image: Reference): string[] {
  const tags: string[] = [];
  for (const item of listInput('tags')) {
    let tag = item;
    try {
      if (item.includes('/') || item.includes('@')) {
        const ref = parseReference(item);
        if (repositoryName(ref) !== repositoryName(image)) {
          throw new UserError(
            `input 'tags': '${item}' names ${repositoryName(ref)}, not the image ${repositoryName(image)}`,
          );
        }
        if (ref.tag === undefined) throw new UserError(`input 'tags': '${item}' has no tag`);
        tag = ref.tag;
      } else if (item.includes(':')) {
        tag = item.slice(item.lastIndexOf(':') + 1);
      }
      checkTag(tag);
    } catch (error) {
      if (error instanceof ReferenceError)
        throw new UserError(`input 'tags': '${item}' is not valid: ${error.message}`);
      throw error;
    }
    if (!tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

function readBase(text: string): Reference {
  try {
    return parseReference(text);
  } catch (error) {
    if (error instanceof ReferenceError) {
      throw new UserError(`input 'base': '${text}' is not 'scratch' or an image reference: ${error.message}`);
    }
    throw error;
  }
}

/** A JSON array (exec form) or a single path. */
function parseEntrypoint(text: string): string[] {
  if (text.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || parsed.some((item) => typeof item !== 'string') || parsed.length === 0) {
      throw new UserError(
        `input 'entrypoint': '${text}' is not valid; expected a path or a JSON array of strings`,
      );
    }
    return parsed as string[];
  }
  return [text];
}
