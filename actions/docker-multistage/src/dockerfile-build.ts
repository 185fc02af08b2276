import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exec, info, runnerTempDir, UserError } from '@gin-deploy/action';
import {
  budArgs,
  buildxArgs,
  cleanupArgs,
  dockerLoginArgs,
  ghaCacheAvailable,
  lintDockerfile,
  manifestAddArgs,
  manifestCreateArgs,
  manifestPushArgs,
  prepareDockerConfig,
  renderTemplate,
  type BuildahGlobal,
} from '@gin-deploy/dockerfile';
import {
  findCredentials,
  isPlainHttp,
  parseReference,
  readLayoutImage,
  repositoryName,
  summarizeLayoutIndex,
  writeLayout,
} from '@gin-deploy/oci';
import { enforceLint } from './hardening.js';
import { clientFor, pushByDigest } from './push.js';
import type { BuildResult } from './result.js';
import type { Settings } from './settings.js';

interface BuildPlan {
  dockerfile: string;
  platforms: string[];
  buildArgs: Record<string, string>;
  /** Scratch folder of this step (iid files, digest file, auth file), removed afterwards. */
  temp: string;
}

const DEFAULT_PLATFORMS = ['linux/amd64', 'linux/arm64'];

/** The buildah and docker builders: the user's Dockerfile or the rendered hardened template, linted first. */
export async function runDockerfileBuild(settings: Settings): Promise<BuildResult> {
  const temp = mkdtempSync(path.join(runnerTempDir(), 'docker-multistage-'));
  try {
    const dockerfile = prepareDockerfile(settings, temp);
    const lint = lintStep(settings, dockerfile);
    const platforms = settings.platforms.length > 0 ? settings.platforms : DEFAULT_PLATFORMS;
    const buildArgs = {
      ...(settings.dockerfile ? {} : { LDFLAGS: settings.ldflags }),
      ...settings.buildArgs,
    };
    const plan: BuildPlan = { dockerfile, platforms, buildArgs, temp };
    // Both builders write an OCI layout here; the registry client pushes it by digest and moves tags last.
    const layout = path.join(temp, 'layout');
    const digest =
      settings.builder === 'docker'
        ? await buildWithDocker(settings, plan, layout)
        : await buildWithBuildah(settings, plan, layout);
    const image = readLayoutImage(layout, digest);
    let tags: BuildResult['tags'];
    if (settings.push) {
      ({ tags } = await pushByDigest(settings, image, { client: clientFor(settings.image, settings) }));
    } else {
      writeLayout(
        settings.outputDir,
        [...image.blobs, ...image.platforms.map((p) => p.manifest), image.index],
        image.index.descriptor,
        settings.tags,
      );
      info(`wrote the OCI image layout ${settings.outputDir}`);
    }
    const summaries = await summarizeLayoutIndex(layout, digest);
    return {
      builder: settings.builder,
      digest,
      pushed: settings.push,
      platforms: summaries.map((p) => ({ ...p, baseSize: 0 })),
      lint: lint.map((f) => `line ${f.line}: ${f.message} (${f.rule})`),
      tags,
    };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

function prepareDockerfile(settings: Settings, temp: string): string {
  if (settings.dockerfile) {
    const file = settings.dockerfile;
    if (!existsSync(file)) throw new UserError(`input 'dockerfile': ${file} does not exist`);
    return file;
  }
  const file = path.join(temp, 'Dockerfile');
  writeFileSync(
    file,
    renderTemplate({
      goImage: settings.goImage,
      finalBase: settings.base
        ? `${repositoryName(settings.base)}${settings.base.tag ? `:${settings.base.tag}` : ''}${settings.base.digest ? `@${settings.base.digest}` : ''}`
        : 'scratch',
      goPackage: settings.goPackage,
      binaryName: settings.binaryName,
      port: settings.port,
      user: settings.user,
      labels: settings.labels,
      env: settings.env,
    }),
  );
  info(`rendered the hardened multi-stage template to ${file}`);
  return file;
}

function lintStep(settings: Settings, dockerfile: string) {
  if (settings.lint === 'off') return [];
  const findings = lintDockerfile(readFileSync(dockerfile, 'utf8'));
  const file = settings.dockerfile ? path.relative(settings.workspace, dockerfile) : dockerfile;
  enforceLint(settings, findings, file);
  return findings;
}

/** Builds each platform, lists them, and writes the list with all its images to the OCI layout `layout`. */
async function buildWithBuildah(
  settings: Settings,
  { dockerfile, platforms, buildArgs, temp }: BuildPlan,
  layout: string,
): Promise<string> {
  const domains = [settings.image.domain, settings.base?.domain, safeDomain(settings.goImage)].filter(
    (d): d is string => Boolean(d),
  );
  const global: BuildahGlobal = {
    storageDriver: 'vfs',
    tlsVerify: !domains.some((domain) => isPlainHttp(domain, settings.insecureRegistries)),
    authFile: writeAuthFile(settings, temp),
  };
  const run = (args: string[]) =>
    exec('buildah', args, {
      displayName: `buildah ${args[2]}${args[2] === 'manifest' ? ` ${args[3]}` : ''}`,
      missingHint: 'install buildah (apt-get install buildah) or use builder: docker or assemble',
      onStdout: (chunk) => process.stdout.write(chunk),
    });
  const suffix = `${process.pid}-${Date.now()}`;
  const list = `localhost/gin-deploy-list-${suffix}`;
  const images: string[] = [];
  try {
    for (const platform of platforms) {
      const iidFile = path.join(temp, `iid-${platform.replace(/\//g, '-')}`);
      await run(
        budArgs(global, {
          dockerfile,
          context: settings.context,
          platform,
          tag: `localhost/gin-deploy-build-${suffix}:${platform.replace(/\//g, '-')}`,
          buildArgs,
          iidFile,
        }),
      );
      images.push(readFileSync(iidFile, 'utf8').trim());
    }
    await run(manifestCreateArgs(global, list));
    for (const image of images) await run(manifestAddArgs(global, list, image));
    const digestFile = path.join(temp, 'digest');
    await run(manifestPushArgs(global, list, `oci:${layout}`, digestFile));
    const digest = readFileSync(digestFile, 'utf8').trim();
    info(`buildah wrote ${digest} for ${platforms.join(', ')} to ${layout}`);
    return digest;
  } finally {
    await exec('buildah', cleanupArgs(global, 'manifest', [list]), { allowFailure: true });
    if (images.length > 0) await exec('buildah', cleanupArgs(global, 'rmi', images), { allowFailure: true });
  }
}

/** buildx exports the image as an OCI layout folder `layout` (no push, no daemon image store). */
async function buildWithDocker(
  settings: Settings,
  { dockerfile, platforms, buildArgs, temp }: BuildPlan,
  layout: string,
): Promise<string> {
  const metadataFile = path.join(temp, 'metadata.json');
  const args = buildxArgs({
    dockerfile,
    context: settings.context,
    platforms,
    buildArgs,
    labels: settings.labels,
    annotations: settings.annotations,
    outputDir: layout,
    metadataFile,
    ghaCache: ghaCacheAvailable(process.env),
  });
  const missingHint =
    'docker buildx is needed for builder: docker; use builder: assemble or buildah without a daemon';
  const env = await dockerLogin(settings, temp, missingHint);
  await exec('docker', args, {
    env,
    missingHint,
    onStdout: (chunk) => process.stdout.write(chunk),
    onStderr: (chunk) => process.stdout.write(chunk),
  });
  const metadata = JSON.parse(readFileSync(metadataFile, 'utf8')) as Record<string, unknown>;
  const digest = metadata['containerimage.digest'];
  if (typeof digest !== 'string')
    throw new Error(`docker buildx wrote no containerimage.digest to ${metadataFile}`);
  return digest;
}

/**
 * With registry-username and registry-password, logs in through a Docker configuration folder inside this
 * step's temp folder (removed with it), the password on stdin; returns the environment that selects it.
 */
async function dockerLogin(
  settings: Settings,
  temp: string,
  missingHint: string,
): Promise<Record<string, string> | undefined> {
  if (!settings.username || !settings.password) return undefined;
  const dir = path.join(temp, 'docker-config');
  prepareDockerConfig(dir, settings.image.domain);
  const env = { DOCKER_CONFIG: dir };
  await exec('docker', dockerLoginArgs(settings.image.domain, settings.username), {
    env,
    input: settings.password,
    missingHint,
  });
  info(`logged in to ${settings.image.domain} as ${settings.username} for this step only`);
  return env;
}

function writeAuthFile(settings: Settings, temp: string): string | undefined {
  const credentials = findCredentials(settings.image.domain, {
    username: settings.username,
    password: settings.password,
  });
  if (!credentials) return undefined;
  const file = path.join(temp, 'auth.json');
  const auth = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
  writeFileSync(file, JSON.stringify({ auths: { [settings.image.domain]: { auth } } }), { mode: 0o600 });
  return file;
}

function safeDomain(reference: string): string | undefined {
  try {
    return parseReference(reference).domain;
  } catch {
    return undefined;
  }
}
