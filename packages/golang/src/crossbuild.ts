import { mkdtemp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runnerTempDir, writeFileAtomicAsync } from '@gin-deploy/action';
import { archive, type ArchiveFormat } from './archive.js';
import { buildTarget, type BuildResult, type BuildSettings } from './build.js';
import { formatChecksums, sha256, sha256File, type Checksum } from './checksums.js';
import type { Diagnostic } from './diagnostics.js';
import { LinkedBinaryStore } from './linked-binaries.js';
import { archiveBaseName, executableSuffix } from './naming.js';
import { runPool } from './pool.js';
import { setFileTime, type SourceTime } from './reproducible.js';
import { targetLabel, type Target } from './targets.js';
import { upxPack, upxSkipReason } from './upx.js';
import { ignoreInGit, type GitExclude } from './vcs-ignore.js';

export type ArchiveChoice = 'none' | ArchiveFormat;

/** The output directory's path names a file. */
export class OutputDirError extends Error {
  constructor(readonly dir: string) {
    super(`'${dir}' is a file; expected a directory (created when missing)`);
    this.name = 'OutputDirError';
  }
}

export interface CrossBuildPlan {
  settings: BuildSettings;
  targets: Target[];
  /** Each target's file, relative to outputDir (from outputNames). */
  files: string[];
  binaryName: string;
  nameTemplate: string;
  outputDir: string;
  parallel: number;
  upx: boolean;
  archive: ArchiveChoice;
  /** The checksums file's name inside outputDir, or undefined for none. */
  checksums?: string;
  sourceTime?: SourceTime;
  /** Measure what stripping saves by linking this target once more without -s -w (opt-in: one more link). */
  stripProbe?: Target;
  /** findGitExclude(outputDir), when the caller asked it early; asked here otherwise. */
  gitExclude?: Promise<GitExclude | undefined>;
  /**
   * Where the last binary linked for each target is kept, so an unchanged target is not linked again; undefined
   * to link every target (it is never used with UPX, which rewrites the binary after the link).
   */
  linkedBinaries?: LinkedBinaryStore;
}

export interface FileFacts {
  file: string;
  size: number;
  sha256: string;
}

export interface TargetOutcome {
  target: Target;
  file: string;
  ok: boolean;
  durationMs: number;
  /** Size straight from the linker, before UPX. */
  linkedSize?: number;
  binary?: FileFacts;
  archive?: FileFacts;
  /** 'packed', or why UPX skipped the target. */
  upx?: string;
  /** go build found the binary kept from an earlier build current, so it did not link. */
  reused?: boolean;
  error?: string;
  diagnostics: Diagnostic[];
}

export interface StripSavings {
  target: Target;
  stripped: number;
  unstripped: number;
  durationMs: number;
}

export interface CrossBuildResult {
  outcomes: TargetOutcome[];
  strip?: StripSavings;
  checksums?: FileFacts;
}

/** The archive format for a target: zip for Windows whenever archives are made, as Windows users expect. */
export function archiveFormatFor(choice: ArchiveChoice, target: Target): ArchiveFormat | undefined {
  if (choice === 'none') return undefined;
  return target.os === 'windows' ? 'zip' : choice;
}

/**
 * Creates the output directory, or checks an existing one is a directory. A directory the action creates gets
 * a `.gitignore` of `*`: inside a checkout its untracked binaries would otherwise mark the next build's
 * -buildvcs stamp as modified and break reproducibility.
 */
export async function prepareOutputDir(dir: string): Promise<void> {
  const existing = await stat(dir).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new OutputDirError(dir);
  if (existing) return;
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, '.gitignore'), '*\n');
}

/**
 * Builds every target (at most plan.parallel `go build` processes at once), then writes the checksums; a failed
 * target does not stop the others. A finished binary is stamped, hashed and archived outside the pool, so that
 * work overlaps the next target's build. The strip probe, when asked for, queues behind the targets and waits
 * for its own target, so it reuses that target's compiled packages and only links.
 */
export async function crossBuild(
  plan: CrossBuildPlan,
  onDone: (outcome: TargetOutcome) => void = () => undefined,
): Promise<CrossBuildResult> {
  const planned = plannedFiles(plan);
  await ignoreInGit(plan.outputDir, planned, plan.gitExclude);
  // Files an earlier run left under these names go first: whatever this run fails to write is then missing,
  // never an older build passing for this one (a stale checksums file, a failed target's old archive).
  await Promise.all(planned.map((file) => rm(file, { force: true })));
  // One promise per target from the start: the strip probe may start before its target's build has ended.
  const settle: ((outcome: Promise<TargetOutcome>) => void)[] = [];
  const finished = plan.targets.map(() => new Promise<TargetOutcome>((resolve) => settle.push(resolve)));
  const probe = plan.stripProbe;
  const jobs: (number | 'probe')[] = [...plan.targets.keys(), ...(probe ? ['probe' as const] : [])];
  let strip: StripSavings | undefined;
  await runPool(jobs, plan.parallel, async (job) => {
    if (job === 'probe') {
      const index = plan.targets.findIndex((target) => targetLabel(target) === targetLabel(probe!));
      strip = await measureStrip(plan, probe!, await finished[index]);
      return;
    }
    const target = plan.targets[job];
    const file = path.join(plan.outputDir, plan.files[job]);
    const started = Date.now();
    const failed = (error: unknown): TargetOutcome => ({
      target,
      file,
      ok: false,
      durationMs: Date.now() - started,
      error: (error as Error).message,
      diagnostics: [],
    });
    const built = await buildOne(plan, target, file).catch(failed);
    settle[job](
      (built.ok ? finishOne(plan, built) : Promise.resolve(built)).catch(failed).then(async (outcome) => {
        // A failed, stopped or cancelled target leaves nothing: no half-linked, half-packed or offered binary.
        if (!outcome.ok)
          await Promise.all(targetFiles(plan, job).map((output) => rm(output, { force: true })));
        onDone(outcome);
        return outcome;
      }),
    );
  });
  const outcomes = await Promise.all(finished);
  const result: CrossBuildResult = { outcomes };
  if (outcomes.some((outcome) => !outcome.ok)) return result;
  result.strip = strip;
  if (plan.checksums) result.checksums = await writeChecksums(plan, outcomes);
  return result;
}

/** Every file crossBuild may write in the output directory: binaries, archives and the checksums file. */
export function plannedFiles(plan: CrossBuildPlan): string[] {
  const files = plan.targets.flatMap((_, index) => targetFiles(plan, index));
  if (plan.checksums) files.push(path.join(plan.outputDir, plan.checksums));
  return files;
}

/** The binary and, when archives are made, the archive of the target at index. */
function targetFiles(plan: CrossBuildPlan, index: number): string[] {
  const target = plan.targets[index];
  const format = archiveFormatFor(plan.archive, target);
  const archive = format && `${archiveBaseName(plan.nameTemplate, plan.binaryName, target)}.${format}`;
  return [plan.files[index], ...(archive ? [archive] : [])].map((file) => path.join(plan.outputDir, file));
}

/**
 * Runs `go build` for one target: the part that holds a slot of the pool. With a store, a copy of the binary
 * kept from the last build of this target is put in place first; when go build leaves it (it is current), it is
 * hashed against the sha256 it was kept under, and a binary that no longer matches is given up and linked again.
 */
async function buildOne(plan: CrossBuildPlan, target: Target, file: string): Promise<BuiltTarget> {
  await mkdir(path.dirname(file), { recursive: true });
  // go build leaves an existing file alone when it fails; a binary from an earlier run must not pass for this one.
  await rm(file, { force: true });
  const store = plan.linkedBinaries;
  const entry = store?.entryFor(plan.settings.cwd, plan.settings.package, target, file);
  const offer = store && entry ? await store.offer(entry, file) : undefined;
  let built: BuildResult;
  let untouched = false;
  try {
    built = await buildTarget(plan.settings, target, file);
  } finally {
    if (offer) untouched = await LinkedBinaryStore.untouched(offer, file);
  }
  const outcome: BuiltTarget = {
    target,
    file,
    ok: built.ok,
    durationMs: built.durationMs,
    diagnostics: built.diagnostics,
  };
  if (!built.ok) {
    outcome.error = built.diagnostics[0]
      ? `${built.diagnostics[0].file}:${built.diagnostics[0].line}: ${built.diagnostics[0].message}`
      : firstMessage(built.output);
    return outcome;
  }
  outcome.linkedEntry = entry;
  if (offer && untouched) {
    // Hashed only now: beside a build that links, the hash would only take CPU from it.
    const hash = await sha256File(file);
    if (hash !== offer.sha256) {
      await store!.drop(offer.entry);
      return buildOne(plan, target, file); // the entry is gone, so nothing is offered this time
    }
    await store!.used(offer);
    outcome.reused = true;
    outcome.keptSha256 = hash;
  }
  return outcome;
}

/** A target's outcome while it is finished outside the pool: where its binary is kept, and the kept hash. */
interface BuiltTarget extends TargetOutcome {
  linkedEntry?: string;
  /** The binary's sha256 when it is the kept one, checked in buildOne. */
  keptSha256?: string;
}

/** UPX, the file time, the hash and the archive of a built binary: what may overlap the next build. */
async function finishOne(plan: CrossBuildPlan, built: BuiltTarget): Promise<TargetOutcome> {
  const { linkedEntry, keptSha256, ...done } = built;
  const { target, file } = done;
  const outcome: TargetOutcome = { ...done, linkedSize: (await stat(file)).size };
  if (plan.upx) {
    outcome.upx = upxSkipReason(target) ?? 'packed';
    if (outcome.upx === 'packed') await upxPack(file);
  }
  if (plan.sourceTime) await setFileTime(file, plan.sourceTime.seconds);
  outcome.binary = keptSha256 ? { file, size: outcome.linkedSize!, sha256: keptSha256 } : await facts(file);
  if (plan.linkedBinaries && linkedEntry && !keptSha256)
    await plan.linkedBinaries.keep(linkedEntry, file, outcome.binary.sha256);
  const format = archiveFormatFor(plan.archive, target);
  if (format) outcome.archive = await writeArchive(plan, target, file, format);
  return outcome;
}

async function writeArchive(
  plan: CrossBuildPlan,
  target: Target,
  binary: string,
  format: ArchiveFormat,
): Promise<FileFacts> {
  const base = archiveBaseName(plan.nameTemplate, plan.binaryName, target);
  const file = path.join(plan.outputDir, `${base}.${format}`);
  const mtime = plan.sourceTime?.seconds ?? Math.floor((await stat(binary)).mtimeMs / 1000);
  const data = await archive(format, [
    {
      name: `${plan.binaryName}${executableSuffix(target)}`,
      data: await readFile(binary),
      mode: 0o755,
      mtime,
    },
  ]);
  await writeFileAtomicAsync(file, data);
  if (plan.sourceTime) await setFileTime(file, plan.sourceTime.seconds);
  return { file, size: data.length, sha256: sha256(data) };
}

/** A cheap, true figure: one more link of one target (its packages are cached by then) without -s -w. */
async function measureStrip(
  plan: CrossBuildPlan,
  target: Target,
  built: TargetOutcome | undefined,
): Promise<StripSavings | undefined> {
  if (!built?.linkedSize) return undefined;
  const dir = await mkdtemp(path.join(runnerTempDir(), 'go-unstripped-'));
  try {
    const file = path.join(dir, `probe${executableSuffix(target)}`);
    const probe = await buildTarget({ ...plan.settings, strip: false }, target, file);
    if (!probe.ok) return undefined;
    return {
      target,
      stripped: built.linkedSize,
      unstripped: (await stat(file)).size,
      durationMs: probe.durationMs,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function writeChecksums(plan: CrossBuildPlan, outcomes: TargetOutcome[]): Promise<FileFacts> {
  const entries: Checksum[] = outcomes.flatMap((outcome) =>
    [outcome.binary, outcome.archive]
      .filter((fact): fact is FileFacts => fact !== undefined)
      .map((fact) => ({
        name: path.relative(plan.outputDir, fact.file).split(path.sep).join('/'),
        sha256: fact.sha256,
      })),
  );
  const file = path.join(plan.outputDir, plan.checksums!);
  const text = formatChecksums(entries);
  await writeFileAtomicAsync(file, text);
  if (plan.sourceTime) await setFileTime(file, plan.sourceTime.seconds);
  return { file, size: Buffer.byteLength(text), sha256: sha256(text) };
}

async function facts(file: string): Promise<FileFacts> {
  return { file, size: (await stat(file)).size, sha256: await sha256File(file) };
}

/** go prints `# package` headers before a package's errors and usage lines after a flag error. */
function firstMessage(output: string): string {
  const line = output.split('\n').find((text) => text.trim() !== '' && !text.startsWith('#'));
  return line?.trim() ?? 'go build failed without a message';
}
