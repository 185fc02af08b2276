import { statSync } from 'node:fs';
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
  BuildEnvError,
  BuildFlagError,
  CgoError,
  checkBuildEnv,
  checkCgoTargets,
  checkTargetSyntax,
  DEFAULT_NAME_TEMPLATE,
  GoPackageError,
  NameTemplateError,
  OutputDirError,
  outputNames,
  parseBuildFlags,
  parseTargets,
  TargetError,
  UpxMissingError,
  type ArchiveChoice,
  type OwnedFlag,
  type OwnedVariable,
  type Port,
  type Target,
} from '@gin-deploy/golang';

/** Every input, parsed and checked as far as possible without the Go toolchain. */
export interface Settings {
  targets: string[];
  package: string;
  binaryName?: string;
  workspace: string;
  /** Absolute, inside the workspace or the runner temp folder. */
  outputDir: string;
  nameTemplate: string;
  /** As given, for messages. */
  workingDirectory: string;
  /** Absolute, inside the workspace; an existing directory. */
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
  /** Keep the last binary linked per target in the tool cache, so go build can skip a link that is current. */
  reuseLinks: boolean;
  upx: boolean;
  archive: ArchiveChoice;
  checksums?: string;
  cache: boolean;
}

export const DEFAULT_CHECKSUMS = 'sha256sums.txt';

/** Reads and checks every input; the first bad one fails with one line naming it. No process is started. */
export function readSettings(): Settings {
  const targets = listInput('targets');
  atInput('targets', () => checkTargetSyntax(targets));
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
  const workingDirectory = optionalInput('working-directory') ?? '.';
  const cwd = readPathInput('working-directory', '.', workspace);
  const settings: Settings = {
    targets,
    package: optionalInput('package') ?? '.',
    binaryName,
    workspace,
    outputDir: writePathInput('output-dir', 'dist', cwd),
    nameTemplate: optionalInput('name-template') ?? DEFAULT_NAME_TEMPLATE,
    workingDirectory,
    cwd,
    cgo: booleanInput('cgo', false),
    strip: booleanInput('strip', true),
    measureStrip: booleanInput('measure-strip', false),
    ldflags: optionalInput('ldflags') ?? '',
    buildvcs,
    tags,
    flags: atInput('flags', () => parseBuildFlags(multilineInput('flags'))),
    env: atInput('env', () => checkBuildEnv(keyValueInput('env'))),
    parallel:
      optionalInput('parallel') === undefined
        ? undefined
        : numberInput('parallel', undefined, { min: 1, max: 64, integer: true }),
    reproducible: booleanInput('reproducible', true),
    reuseLinks: booleanInput('reuse-links', true),
    upx: booleanInput('upx', false),
    archive: enumInput('archive', ['none', 'tar.gz', 'zip'], 'none'),
    checksums,
    cache: booleanInput('cache', true),
  };
  if (!statSync(cwd, { throwIfNoEntry: false })?.isDirectory())
    throw new UserError(
      `input 'working-directory': '${workingDirectory}' is not a directory in ${workspace}`,
    );
  return settings;
}

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

// The checks below need the toolchain's answers (its ports, the module, the package), so they run once those
// are known; they live here because only this file knows which input carried each value.

/** The targets as ports of the installed Go, and with cgo on, each one buildable with cgo. */
export function resolveTargets(
  settings: Settings,
  ports: readonly Port[],
  host: { os: string; arch: string },
): Target[] {
  const targets = atInput('targets', () => parseTargets(settings.targets, ports));
  if (settings.cgo) atInput('cgo', () => checkCgoTargets(targets, ports, host, settings.env));
  return targets;
}

/** Each target's file in the output directory, from name-template. */
export function resolveOutputNames(
  settings: Settings,
  binaryName: string,
  targets: readonly Target[],
): string[] {
  return atInput('name-template', () => outputNames(settings.nameTemplate, binaryName, targets));
}

export function noModuleError(settings: Settings): UserError {
  return new UserError(
    `input 'working-directory': no go.mod in '${settings.workingDirectory}' or above; expected a Go module`,
  );
}

/** Runs a check of the value of `input`, turning the library's domain errors into `input '…'` messages. */
export function atInput<T>(input: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw inputError(input, error);
  }
}

/** The same for a check that answers later, such as one that asks the toolchain. */
export function atInputAsync<T>(input: string, check: Promise<T>): Promise<T> {
  return check.catch((error: unknown) => {
    throw inputError(input, error);
  });
}

/** The input each flag and variable the build sets itself comes from. */
const FLAG_INPUTS: Record<OwnedFlag, string> = {
  o: 'output-dir and name-template',
  ldflags: 'ldflags (and strip)',
  tags: 'tags',
  buildvcs: 'buildvcs',
};
const ENV_INPUTS: Record<OwnedVariable, string> = { GOOS: 'targets', GOARCH: 'targets', CGO_ENABLED: 'cgo' };

function inputError(input: string, error: unknown): unknown {
  if (error instanceof UpxMissingError)
    return new UserError(
      `${error.message}; input '${input}' is true; install UPX (e.g. crazy-max/ghaction-upx) or set upx: false`,
    );
  if (error instanceof CgoError) {
    const fix =
      error.reason === 'unsupported'
        ? 'set cgo: false for it'
        : 'set CC in the env input (e.g. CC=aarch64-linux-gnu-gcc or CC=zig cc -target aarch64-linux-musl) or set cgo: false';
    return new UserError(`input '${input}': ${error.message}; ${fix}`);
  }
  if (error instanceof BuildFlagError && error.owned)
    return new UserError(`input '${input}': ${error.message}; use the ${FLAG_INPUTS[error.owned]} input`);
  if (error instanceof BuildEnvError && error.owned)
    return new UserError(`input '${input}': ${error.message}; use the ${ENV_INPUTS[error.owned]} input`);
  if (
    error instanceof TargetError ||
    error instanceof BuildFlagError ||
    error instanceof BuildEnvError ||
    error instanceof NameTemplateError ||
    error instanceof GoPackageError ||
    error instanceof OutputDirError
  )
    return new UserError(`input '${input}': ${error.message}`);
  return error;
}
