import {
  booleanInput,
  enumInput,
  keyValueInput,
  listInput,
  multilineInput,
  numberInput,
  optionalInput,
  readPathInput,
  UserError,
  workspaceDir,
  writePathInput,
} from '@gin-deploy/action';
import {
  checkBuildEnv,
  checkTargetSyntax,
  DEFAULT_NAME_TEMPLATE,
  parseBuildFlags,
  type ArchiveChoice,
} from '@gin-deploy/golang';

/** Every input, parsed and checked as far as possible without the Go toolchain. */
export interface Inputs {
  targets: string[];
  package: string;
  binaryName?: string;
  workspace: string;
  /** Absolute, inside the workspace or the runner temp folder. */
  outputDir: string;
  nameTemplate: string;
  /** As given, for messages. */
  workingDirectory: string;
  /** Absolute, inside the workspace. */
  cwd: string;
  cgo: boolean;
  strip: boolean;
  /** Link one target again without -s -w to report what stripping saved. */
  measureStrip: boolean;
  ldflags: string;
  buildvcs?: string;
  tags: string[];
  flags: string[];
  env: Record<string, string>;
  /** undefined: chosen from the CPUs and the targets once they are known. */
  parallel?: number;
  reproducible: boolean;
  upx: boolean;
  archive: ArchiveChoice;
  checksums?: string;
  cache: boolean;
}

export function readInputs(): Inputs {
  const targets = listInput('targets');
  checkTargetSyntax(targets);
  const binaryName = optionalInput('binary-name');
  if (binaryName !== undefined && !/^[\w.+-]+$/.test(binaryName))
    throw new UserError(
      `input 'binary-name': '${binaryName}' is not valid; expected a file name without slashes`,
    );
  const checksums = checksumsFile(optionalInput('checksums'));
  const tags = listInput('tags');
  const badTag = tags.find((tag) => !/^[\w.]+$/.test(tag));
  if (badTag !== undefined)
    throw new UserError(`input 'tags': '${badTag}' is not a build tag; expected letters, digits, _ and .`);
  const buildvcs =
    optionalInput('buildvcs') === undefined ? undefined : enumInput('buildvcs', ['true', 'false', 'auto']);
  const workspace = workspaceDir();
  const cwd = readPathInput('working-directory', '.', workspace);
  return {
    targets,
    package: optionalInput('package') ?? '.',
    binaryName,
    workspace,
    outputDir: writePathInput('output-dir', 'dist', cwd),
    nameTemplate: optionalInput('name-template') ?? DEFAULT_NAME_TEMPLATE,
    workingDirectory: optionalInput('working-directory') ?? '.',
    cwd,
    cgo: booleanInput('cgo', false),
    strip: booleanInput('strip', true),
    measureStrip: booleanInput('measure-strip', false),
    ldflags: optionalInput('ldflags') ?? '',
    buildvcs,
    tags,
    flags: parseBuildFlags(multilineInput('flags')),
    env: checkBuildEnv(keyValueInput('env')),
    parallel:
      optionalInput('parallel') === undefined
        ? undefined
        : numberInput('parallel', undefined, { min: 1, max: 64, integer: true }),
    reproducible: booleanInput('reproducible', true),
    upx: booleanInput('upx', false),
    archive: enumInput('archive', ['none', 'tar.gz', 'zip'], 'none'),
    checksums,
    cache: booleanInput('cache', true),
  };
}

export const DEFAULT_CHECKSUMS = 'sha256sums.txt';

/** true means the default name and false, none or empty no file; anything else is the file's name in output-dir. */
function checksumsFile(value: string | undefined): string | undefined {
  const lower = value?.toLowerCase();
  if (lower === 'true') return DEFAULT_CHECKSUMS;
  if (lower === undefined || lower === 'false' || lower === 'none') return undefined;
  if (!/^[\w.+-]+$/.test(value!))
    throw new UserError(
      `input 'checksums': '${value}' is not valid; expected a file name such as ${DEFAULT_CHECKSUMS}, true or false (none)`,
    );
  return value;
}
