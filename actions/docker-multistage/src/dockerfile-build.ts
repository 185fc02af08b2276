import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { info, runnerTempDir, UserError } from '@gin-deploy/action';
import {
  buildWithBuildah,
  buildWithBuildx,
  lintDockerfile,
  renderTemplate,
  type BuildahAccess,
  type DockerfileBuild,
  type DockerLogin,
} from '@gin-deploy/dockerfile';
import {
  parseReference,
  readLayoutImage,
  repositoryName,
  summarizeLayoutIndex,
  writeLayout,
  type RegistryAccess,
} from '@gin-deploy/oci';
import { enforceLint } from './hardening.js';
import { pushByDigest, registryAccess } from './push.js';
import type { BuildResult } from './result.js';
import type { Settings } from './settings.js';

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
    // Both builders write an OCI layout here; the registry client pushes it by digest and moves tags last.
    const layout = path.join(temp, 'layout');
    const build: DockerfileBuild = {
      dockerfile,
      context: settings.context,
      platforms,
      buildArgs,
      labels: settings.labels,
      annotations: settings.annotations,
      temp,
      layout,
    };
    const registries = registryAccess(settings);
    const digest =
      settings.builder === 'docker'
        ? await buildWithBuildx(build, dockerLogin(settings, registries))
        : await buildWithBuildah(build, buildahAccess(settings, registries));
    const image = readLayoutImage(layout, digest);
    let tags: BuildResult['tags'];
    if (settings.push) {
      ({ tags } = await pushByDigest(settings, image, { client: registries.client(settings.image.domain) }));
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

/** Every registry the build reaches (the image's, the base's, the Go image's) decides TLS; the image's, the login. */
function buildahAccess(settings: Settings, registries: RegistryAccess): BuildahAccess {
  const domains = [settings.image.domain, settings.base?.domain, safeDomain(settings.goImage)].filter(
    (d): d is string => Boolean(d),
  );
  const credentials = registries.credentials(settings.image.domain);
  return {
    tlsVerify: !domains.some((domain) => registries.isPlainHttp(domain)),
    credentials: credentials && { domain: settings.image.domain, ...credentials },
  };
}

/** buildx logs in only with the registry-username and registry-password inputs (docker has its own config). */
function dockerLogin(settings: Settings, registries: RegistryAccess): DockerLogin | undefined {
  const credentials = registries.credentials(settings.image.domain);
  if (credentials?.source !== 'registry-password' || !credentials.username) return undefined;
  return { domain: settings.image.domain, username: credentials.username, password: credentials.password };
}

function safeDomain(reference: string): string | undefined {
  try {
    return parseReference(reference).domain;
  } catch {
    return undefined;
  }
}
