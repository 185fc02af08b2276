import os from 'node:os';
import {
  booleanInput,
  enumInput,
  keyValueInput,
  listInput,
  multilineInput,
  numberInput,
  optionalInput,
  UserError,
} from '@gin-deploy/action';
import {
  checkBuildEnv,
  DEFAULT_NAME_TEMPLATE,
  parseBuildFlags,
  type ArchiveChoice,
} from '@gin-deploy/golang';

/** Every input, parsed and checked as far as possible without the Go toolchain. */
export interface Inputs {
  targets: string[];
  package: string;
  binaryName?: string;
  outputDir: string;
  nameTemplate: string;
  workingDirectory: string;
  cgo: boolean;
  strip: boolean;
  ldflags: string;
  buildvcs?: string;
  tags: string[];
  flags: string[];
  env: Record<string, string>;
  parallel: number;
  reproducible: boolean;
  upx: boolean;
  archive: ArchiveChoice;
  checksums?: string;
  cache: boolean;
}

export function readInputs(): Inputs {
  const binaryName = optionalInput('binary-name');
  if (binaryName !== undefined && !/^[\w.+-]+$/.test(binaryName))
    throw new UserError(
      `input 'binary-name': '${binaryName}' is not valid; expected a file name without slashes`,
    );
  const checksums = optionalInput('checksums');
  const noChecksums = checksums === undefined || ['none', 'false'].includes(checksums.toLowerCase());
  if (!noChecksums && !/^[\w.+-]+$/.test(checksums))
    throw new UserError(
      `input 'checksums': '${checksums}' is not valid; expected a file name such as sha256sums.txt, or none`,
    );
  const tags = listInput('tags');
  const badTag = tags.find((tag) => !/^[\w.]+$/.test(tag));
  if (badTag !== undefined)
    throw new UserError(`input 'tags': '${badTag}' is not a build tag; expected letters, digits, _ and .`);
  const buildvcs =
    optionalInput('buildvcs') === undefined ? undefined : enumInput('buildvcs', ['true', 'false', 'auto']);
  return {
    targets: listInput('targets'),
    package: optionalInput('package') ?? '.',
    binaryName,
    outputDir: optionalInput('output-dir') ?? 'dist',
    nameTemplate: optionalInput('name-template') ?? DEFAULT_NAME_TEMPLATE,
    workingDirectory: optionalInput('working-directory') ?? '.',
    cgo: booleanInput('cgo', false),
    strip: booleanInput('strip', true),
    ldflags: optionalInput('ldflags') ?? '',
    buildvcs,
    tags,
    flags: parseBuildFlags(multilineInput('flags')),
    env: checkBuildEnv(keyValueInput('env')),
    parallel: numberInput('parallel', os.availableParallelism(), { min: 1, max: 64, integer: true }),
    reproducible: booleanInput('reproducible', true),
    upx: booleanInput('upx', false),
    archive: enumInput('archive', ['none', 'tar.gz', 'zip'], 'none'),
    checksums: noChecksums ? undefined : checksums,
    cache: booleanInput('cache', true),
  };
}
