import { existsSync } from 'node:fs';
import { containedPath, pathInputError, UserError, writeRoots } from '@gin-deploy/action';
import type { Artifact } from '@gin-deploy/golang';
import { parsePlatform, platformString, type Platform, type PlatformBinary } from '@gin-deploy/oci';

/**
 * The linux binaries of the artifacts list, narrowed to `platforms` when given, each checked to exist inside the
 * workspace or the runner temp folder, with the sha256 and size go-cross-build reported, which packing verifies.
 */
export function linuxBinaries(
  value: unknown,
  platforms: readonly string[],
  workspace: string,
): PlatformBinary[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'object' || item === null)) {
    throw new UserError(
      `input 'artifacts': expected a JSON array of {os, arch, variant, path, sha256, size} objects (the artifacts output of go-cross-build)`,
    );
  }
  const artifacts = value as Artifact[];
  for (const artifact of artifacts) {
    if (
      typeof artifact.os !== 'string' ||
      typeof artifact.arch !== 'string' ||
      typeof artifact.path !== 'string'
    ) {
      throw new UserError(`input 'artifacts': entry ${JSON.stringify(artifact)} lacks os, arch or path`);
    }
  }
  const linux = artifacts.filter((artifact) => artifact.os === 'linux');
  if (linux.length === 0) {
    const given = artifacts.map((a) => `${a.os}/${a.arch}`).join(', ') || 'none';
    throw new UserError(
      `input 'artifacts': no linux target among ${given}; images need linux binaries (add linux/amd64 or linux/arm64 to go-cross-build's targets)`,
    );
  }
  const wanted = platforms.map((text) => {
    const platform = parsePlatform(text);
    if (!platform)
      throw new UserError(
        `input 'platforms': '${text}' is not a platform; expected os/arch[/variant] such as linux/arm64`,
      );
    return platform;
  });
  const named = wanted.map(platformString);
  const repeated = named.find((name, i) => named.indexOf(name) !== i);
  if (repeated !== undefined) throw new UserError(`input 'platforms': ${repeated} is listed twice`);
  const binaries = linux.map((artifact) => ({
    platform: toPlatform(artifact),
    file: artifactFile(artifact, workspace),
    expected: expectedFacts(artifact),
  }));
  const chosen =
    wanted.length === 0
      ? binaries
      : wanted.map((platform) => {
          const match = binaries.find((b) => platformString(b.platform) === platformString(platform));
          if (!match) {
            throw new UserError(
              `input 'platforms': ${platformString(platform)} is not among the linux artifacts (${binaries.map((b) => platformString(b.platform)).join(', ')})`,
            );
          }
          return match;
        });
  const seen = new Set<string>();
  for (const binary of chosen) {
    const name = platformString(binary.platform);
    if (seen.has(name)) throw new UserError(`input 'artifacts': two binaries for ${name}`);
    seen.add(name);
    if (!existsSync(binary.file))
      throw new UserError(`input 'artifacts': the ${name} binary ${binary.file} does not exist`);
  }
  return chosen;
}

function artifactFile(artifact: Artifact, workspace: string): string {
  try {
    // go-cross-build may write into the runner temp folder as well as the workspace; nothing else is read.
    return containedPath(artifact.path, workspace, writeRoots());
  } catch (error) {
    throw pathInputError(
      'artifacts',
      error,
      `the ${artifact.os}/${artifact.arch} path inside the workspace or the runner temp folder (where go-cross-build writes)`,
    );
  }
}

/** The sha256 (hex, with or without `sha256:`) and size the builder reported; both are required. */
function expectedFacts(artifact: Artifact): { sha256: string; size: number } {
  const name = `${artifact.os}/${artifact.arch}${artifact.variant ? `/${artifact.variant}` : ''}`;
  const hex =
    typeof artifact.sha256 === 'string' ? artifact.sha256.replace(/^sha256:/, '').toLowerCase() : '';
  if (!/^[a-f0-9]{64}$/.test(hex))
    throw new UserError(
      `input 'artifacts': the ${name} entry has sha256 ${JSON.stringify(artifact.sha256 ?? null)}; expected the 64 hex digits go-cross-build reports`,
    );
  const size = Number(artifact.size);
  if (!Number.isSafeInteger(size) || size < 0)
    throw new UserError(
      `input 'artifacts': the ${name} entry has size ${JSON.stringify(artifact.size ?? null)}; expected the file's size in bytes`,
    );
  return { sha256: hex, size };
}

/**
 * The OCI platform go-cross-build reported (`platform`, read by the OCI platform parser), else os/arch[/variant]
 * as a hand-written entry gives it.
 */
function toPlatform(artifact: Artifact): Platform {
  const text =
    artifact.platform || `${artifact.os}/${artifact.arch}${artifact.variant ? `/${artifact.variant}` : ''}`;
  const platform = parsePlatform(text);
  if (!platform || platform.os !== artifact.os || platform.architecture !== artifact.arch)
    throw new UserError(
      `input 'artifacts': the ${artifact.os}/${artifact.arch} entry has platform '${text}'; expected ${artifact.os}/${artifact.arch}[/variant] as go-cross-build reports it`,
    );
  return platform;
}
