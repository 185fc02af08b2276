import {
  booleanInput,
  enumInput,
  EPOCH_EXPECTED,
  invalid,
  jsonInput,
  keyValueInput,
  listInput,
  optionalInput,
  parseEpochSeconds,
  readPathInput,
  requiredInput,
  secretInput,
  sourceDateEpoch,
  UserError,
  workspaceDir,
  writePathInput,
} from '@gin-deploy/action';
import {
  BasePlatformError,
  BinaryMismatchError,
  checkTag,
  parseReference,
  parseRepository,
  ReferenceError,
  RegistryAuthError,
  repositoryName,
  zstdAvailable,
  type Compression,
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
  /** Absolute, inside the workspace or the runner temp folder. */
  outputDir: string;
  /** Absolute, inside the workspace or the runner temp folder. */
  sbomFile: string;
  username?: string;
  password?: string;
  insecureRegistries: string[];
  dockerfile?: string;
  context: string;
  buildArgs: Record<string, string>;
  lint: (typeof LINT_LEVELS)[number];
  /** Layer compression of the assemble builder. */
  compression: Compression;
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
  const workspace = workspaceDir();
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
  const port = readPort();
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
    outputDir: writePathInput('output-dir', 'oci-layout', workspace),
    sbomFile: writePathInput('sbom-file', 'sbom.spdx.json', workspace),
    username: optionalInput('registry-username'),
    password: secretInput('registry-password'),
    insecureRegistries: listInput('insecure-registries'),
    dockerfile: optionalInput('dockerfile') && readPathInput('dockerfile', '', workspace),
    context: readPathInput('context', '.', workspace),
    buildArgs: keyValueInput('build-args'),
    lint: enumInput('lint', LINT_LEVELS, 'warn'),
    compression: readCompression(builder),
    sbom: booleanInput('sbom', true),
    entrypoint: entrypoint ? parseEntrypoint(entrypoint) : undefined,
    port,
    env: keyValueInput('env'),
    user: optionalInput('user') ?? '65532:65532',
    tzdata: booleanInput('tzdata', false),
    binaryName: optionalInput('binary-name') ?? image.path.split('/').pop()!,
    epoch: readEpoch(),
    goImage: optionalInput('go-image') ?? 'docker.io/library/golang:1.26-bookworm',
    ldflags: optionalInput('ldflags') ?? '-s -w',
    goPackage: optionalInput('go-package') ?? '.',
    workspace,
  };
}

/** gzip, or zstd where this builder makes the layers and the runtime has zstd (Node 24, not Node 20). */
function readCompression(builder: Settings['builder']): Compression {
  const compression = enumInput('compression', ['gzip', 'zstd'], 'gzip');
  if (compression === 'zstd' && builder !== 'assemble')
    throw new UserError(
      `input 'compression': zstd is made by the assemble builder only; builder '${builder}' writes gzip layers`,
    );
  if (compression === 'zstd' && !zstdAvailable())
    throw new UserError(
      `input 'compression': zstd needs Node.js 22.15 or later (zstd in zlib), this step runs on ${process.version}; use gzip or the action's node24 runtime`,
    );
  return compression;
}

/** The input, else SOURCE_DATE_EPOCH, else 0: the same inputs give the same digest. */
function readEpoch(): number {
  const text = optionalInput('source-date-epoch');
  if (text === undefined) return sourceDateEpoch() ?? 0;
  const seconds = parseEpochSeconds(text);
  if (seconds === undefined) throw invalid('source-date-epoch', text, EPOCH_EXPECTED);
  return seconds;
}

function readPort(): string | undefined {
  const port = optionalInput('port');
  if (port === undefined) return undefined;
  const match = /^(\d{1,5})(\/(tcp|udp))?$/.exec(port);
  if (!match || Number(match[1]) < 1 || Number(match[1]) > 65535)
    throw invalid(
      'port',
      port,
      'a port from 1 to 65535, optionally with /tcp or /udp, such as 8080 or 8080/tcp',
    );
  return port;
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

/**
 * A library's domain error as a message about the input it comes from (only this reader knows the input names);
 * any other error unchanged.
 */
export function asInputError(error: unknown): unknown {
  if (error instanceof BinaryMismatchError)
    return new UserError(`input 'artifacts': ${error.message}; nothing was pushed or written`);
  if (error instanceof BasePlatformError) return new UserError(`input 'base': ${error.message}`);
  if (error instanceof RegistryAuthError)
    return new UserError(
      error.credentials
        ? `${error.message}; check the username and password or token and its push rights`
        : `${error.message}; set registry-username and registry-password, GITHUB_TOKEN for ghcr.io, or log in with docker login`,
    );
  return error;
}
