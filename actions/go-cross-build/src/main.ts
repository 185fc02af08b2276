import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  error as annotate,
  errorMessage,
  formatBytes,
  info,
  jobCancelledBy,
  oneLine,
  Outputs,
  UserError,
  warning,
  withFailureOutputs,
  writeSummary,
} from '@gin-deploy/action';
import {
  binaryNameFromModule,
  compileProcesses,
  compilerFlags,
  compileSettings,
  crossBuild,
  defaultParallelism,
  findGitExclude,
  goCachePlan,
  goEnv,
  ldflagsFor,
  LinkedBinaryStore,
  linkerOmitsDwarf,
  linkReuseObstacle,
  mainPackage,
  modulePath,
  ociPlatform,
  ports,
  prepareOutputDir,
  processFlags,
  restoreGoCache,
  saveGoCache,
  sourceTime,
  targetLabel,
  upxVersion,
  workspaceFile,
  type Artifact,
  type BuildSettings,
  type CrossBuildResult,
  type Target,
  type TargetOutcome,
} from '@gin-deploy/golang';
import { atInputAsync, noModuleError, readSettings, resolveOutputNames, resolveTargets } from './settings.js';
import { renderSummary, type Report } from './summary.js';

export async function main(): Promise<void> {
  const step = { summarized: false };
  // Every way out writes the declared outputs and a summary (nothing built is handed on) before it fails.
  await withFailureOutputs(
    (reason) => {
      failureOutputs().publish({ failure: true });
      if (!step.summarized) writeSummary(['### go-cross-build failed', oneLine(errorMessage(reason))]);
    },
    () => build(step),
  );
}

/** The outputs of a failed step: every declared output, empty, so `fromJSON` of each still parses downstream. */
function failureOutputs(): Outputs {
  return new Outputs()
    .set('artifacts', [])
    .set('output-dir', '')
    .set('cache-hit', false)
    .set('checksums-file', '')
    .set('matrix', { include: [] });
}

async function build(step: { summarized: boolean }): Promise<void> {
  const started = Date.now();
  const settings = readSettings();
  const { workspace, cwd, outputDir } = settings;

  // The toolchain, package, git and UPX questions are independent: all start at once, and their answers (or
  // errors) are taken in this order, so the first problem reported is the same as when they ran one by one.
  const queries = [
    goEnv(cwd, settings.env),
    ports(cwd),
    atInputAsync('package', mainPackage(cwd, settings.package)),
    settings.upx ? atInputAsync('upx', upxVersion()) : Promise.resolve(undefined),
    settings.reproducible ? sourceTime(cwd) : Promise.resolve(undefined),
    // Where git keeps its excludes, asked now so that the first build need not wait for it.
    findGitExclude(outputDir),
  ] as const;
  for (const query of queries) query.catch(() => undefined);
  const [env, portList] = [await queries[0], await queries[1]];
  const host = { os: env.GOHOSTOS, arch: env.GOHOSTARCH };
  const targets = resolveTargets(settings, portList, host);
  const module = await modulePath(env);
  if (module === undefined) throw noModuleError(settings);
  const binaryName = settings.binaryName ?? binaryNameFromModule(module);
  const files = resolveOutputNames(settings, binaryName, targets);
  await queries[2];
  const upx = await queries[3];
  const time = await queries[4];
  await atInputAsync('output-dir', prepareOutputDir(outputDir));
  const cpus = os.availableParallelism();
  // Never more at once than there are targets, whatever `parallel` asks: the summary says what ran.
  const parallel = Math.min(settings.parallel ?? defaultParallelism(cpus, targets.length), targets.length);
  const processes = compileProcesses(cpus, parallel);
  const goflags = env.GOFLAGS;
  const reuseObstacle = linkReuseObstacle(settings, upx !== undefined, goflags);
  const linkedBinaries = settings.reuseLinks && !reuseObstacle ? new LinkedBinaryStore() : undefined;

  const buildSettings: BuildSettings = {
    cwd,
    package: settings.package,
    cgo: settings.cgo,
    strip: settings.strip,
    ldflags: settings.ldflags,
    buildvcs: settings.buildvcs,
    tags: settings.tags,
    flags: settings.flags,
    env: settings.env,
    goflags,
    processes,
  };
  const sharedCpus = processFlags(buildSettings);

  const cachePlan = settings.cache
    ? goCachePlan({
        os: process.env.RUNNER_OS ?? process.platform,
        arch: process.env.RUNNER_ARCH ?? process.arch,
        goVersion: env.GOVERSION,
        goSum: await readFile(path.join(path.dirname(env.GOMOD), 'go.sum'), 'utf8').catch(() => undefined),
        targets: targets.map(targetLabel),
        compile: compileSettings(buildSettings),
        paths: [env.GOCACHE, env.GOMODCACHE],
      })
    : undefined;
  const restored = cachePlan ? await restoreGoCache(cachePlan) : undefined;

  info(
    `Building ${targets.map(targetLabel).join(', ')} of ${module} with ${env.GOVERSION}, ${parallel} at a time` +
      (sharedCpus.length ? ` (go build ${sharedCpus.join(' ')} each)` : ''),
  );
  const display = (file: string) => displayPath(file, workspace);
  const result = await crossBuild(
    {
      settings: buildSettings,
      targets,
      files,
      binaryName,
      nameTemplate: settings.nameTemplate,
      outputDir,
      parallel,
      upx: upx !== undefined,
      archive: settings.archive,
      checksums: settings.checksums,
      sourceTime: time,
      stripProbe: settings.strip && settings.measureStrip ? stripProbeTarget(targets, host) : undefined,
      gitExclude: queries[5],
      linkedBinaries,
    },
    (outcome) => logOutcome(outcome, display),
  );
  annotateDiagnostics(result, cwd, workspace);
  await linkedBinaries?.prune();
  const failed = result.outcomes.filter((outcome) => !outcome.ok);
  const cache =
    cachePlan && restored && failed.length === 0
      ? await saveGoCache(cachePlan, restored)
      : (restored ?? { state: 'off' as const });

  const report: Report = {
    module,
    goVersion: env.GOVERSION,
    upx,
    result,
    cache,
    sourceTime: time,
    reproducible: settings.reproducible,
    linkReuse: !settings.reuseLinks ? 'off' : (reuseObstacle ?? 'on'),
    strip: settings.strip,
    compilerFlags: compilerFlags(buildSettings),
    linkerDropsDwarf: linkerOmitsDwarf(ldflagsFor(buildSettings)),
    parallel,
    processFlags: sharedCpus,
    display,
    durationMs: Date.now() - started,
    cancelledBy: jobCancelledBy(),
  };
  writeSummary(renderSummary(report));
  step.summarized = true;
  if (failed.length > 0) {
    const stopped = report.cancelledBy ? `the job was cancelled (${report.cancelledBy}): ` : '';
    throw new UserError(
      `${stopped}${failed.length} of ${targets.length} targets failed: ${failed.map((f) => `${targetLabel(f.target)} (${f.error})`).join('; ')}`,
    );
  }

  const built = result.outcomes;
  const outputs = new Outputs();
  outputs.set(
    'artifacts',
    built.map((outcome): Artifact => ({
      ...targetFields(outcome.target),
      path: display(outcome.file),
      sha256: outcome.binary!.sha256,
      size: outcome.binary!.size,
      archive: outcome.archive ? display(outcome.archive.file) : '',
    })),
  );
  outputs.set('output-dir', display(outputDir));
  outputs.set('cache-hit', cache.state === 'hit' || cache.state === 'unchanged');
  outputs.set('checksums-file', result.checksums ? display(result.checksums.file) : '');
  outputs.set('matrix', {
    include: built.map((outcome) => ({
      target: targetLabel(outcome.target),
      ...targetFields(outcome.target),
      path: display(outcome.file),
    })),
  });
  outputs.publish();
}

function targetFields(target: Target) {
  return { os: target.os, arch: target.arch, variant: target.variant, platform: ociPlatform(target) };
}

/** The host's own port when it is built (its binary can run here), else the first target. */
function stripProbeTarget(targets: Target[], host: { os: string; arch: string }): Target {
  return targets.find((t) => t.os === host.os && t.arch === host.arch && !t.variant) ?? targets[0];
}

function logOutcome(outcome: TargetOutcome, display: (file: string) => string): void {
  const label = targetLabel(outcome.target);
  const seconds = `${(outcome.durationMs / 1000).toFixed(1)} s`;
  if (!outcome.ok) {
    info(`✗ ${label} failed after ${seconds}: ${outcome.error}`);
    return;
  }
  if (outcome.upx && outcome.upx !== 'packed') warning(`${label}: not packed with UPX: ${outcome.upx}`);
  const reused = outcome.reused ? ', current: not linked again' : '';
  info(`✓ ${label} → ${display(outcome.file)} (${formatBytes(outcome.binary!.size)}) in ${seconds}${reused}`);
}

/** One annotation per compile error, naming every target it broke, on the file and line when it is in the workspace. */
function annotateDiagnostics(result: CrossBuildResult, cwd: string, workspace: string): void {
  const seen = new Map<
    string,
    { targets: string[]; file?: string; line: number; column?: number; message: string }
  >();
  for (const outcome of result.outcomes) {
    for (const diagnostic of outcome.diagnostics) {
      const key = `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}:${diagnostic.message}`;
      const entry = seen.get(key) ?? {
        targets: [],
        file: workspaceFile(diagnostic.file, cwd, workspace),
        line: diagnostic.line,
        column: diagnostic.column,
        message: diagnostic.message,
      };
      entry.targets.push(targetLabel(outcome.target));
      seen.set(key, entry);
    }
  }
  for (const entry of seen.values()) {
    annotate(entry.message, {
      title: `go build ${entry.targets.join(', ')}`,
      ...(entry.file ? { file: entry.file, startLine: entry.line, startColumn: entry.column } : {}),
    });
  }
}

/** Relative to the workspace as a workflow writes paths; absolute when outside it. */
function displayPath(file: string, workspace: string): string {
  const relative = path.relative(workspace, file);
  if (relative === '') return '.';
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/');
}
