import { createHash } from 'node:crypto';
import { rfc3339 } from '@gin-deploy/action/format';
import type { BuildInfo, GoModule } from './buildinfo.js';

export interface SbomBinary {
  /** e.g. linux/amd64 */
  platform: string;
  sha256: string;
  buildInfo: BuildInfo;
}

export interface SbomSubject {
  /** The image name, e.g. ghcr.io/acme/api. */
  name: string;
  /** The version the image is published as (its first tag), if any. */
  version?: string;
  /** Seconds since the epoch, so the same inputs give the same document. */
  created: number;
}

interface SpdxPackage {
  name: string;
  SPDXID: string;
  versionInfo?: string;
  downloadLocation: 'NOASSERTION';
  filesAnalyzed: false;
  primaryPackagePurpose?: string;
  checksums?: { algorithm: 'SHA256'; checksumValue: string }[];
  externalRefs?: { referenceCategory: 'PACKAGE-MANAGER'; referenceType: 'purl'; referenceLocator: string }[];
  comment?: string;
}

interface Relationship {
  spdxElementId: string;
  relationshipType: 'DESCRIBES' | 'CONTAINS' | 'DEPENDS_ON';
  relatedSpdxElement: string;
}

export interface SpdxDocument {
  spdxVersion: 'SPDX-2.3';
  dataLicense: 'CC0-1.0';
  SPDXID: 'SPDXRef-DOCUMENT';
  name: string;
  documentNamespace: string;
  creationInfo: { created: string; creators: string[] };
  packages: SpdxPackage[];
  relationships: Relationship[];
}

/** An SPDX 2.3 document: the image contains one binary per platform, each depending on its Go modules. */
export function spdxDocument(subject: SbomSubject, binaries: readonly SbomBinary[]): SpdxDocument {
  const packages = new Map<string, SpdxPackage>();
  const relationships: Relationship[] = [];
  const imageId = 'SPDXRef-Image';
  packages.set(imageId, {
    name: subject.name,
    SPDXID: imageId,
    ...(subject.version ? { versionInfo: subject.version } : {}),
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    primaryPackagePurpose: 'CONTAINER',
  });
  relationships.push({
    spdxElementId: 'SPDXRef-DOCUMENT',
    relationshipType: 'DESCRIBES',
    relatedSpdxElement: imageId,
  });
  for (const binary of binaries) {
    const info = binary.buildInfo;
    const binaryId = spdxId(`Binary-${binary.platform}`);
    packages.set(binaryId, {
      name: info.path || info.main.path,
      SPDXID: binaryId,
      versionInfo: info.main.version,
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      primaryPackagePurpose: 'APPLICATION',
      checksums: [{ algorithm: 'SHA256', checksumValue: binary.sha256.replace(/^sha256:/, '') }],
      comment: `${binary.platform}, built with ${info.goVersion}; ${Object.entries(info.settings)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    });
    relationships.push({
      spdxElementId: imageId,
      relationshipType: 'CONTAINS',
      relatedSpdxElement: binaryId,
    });
    const stdlib: GoModule = { path: 'stdlib', version: info.goVersion.replace(/^go/, 'v') };
    for (const module of [stdlib, ...info.deps]) {
      const used = module.replace ?? module;
      const id = spdxId(`Package-go-${used.path}-${used.version}`);
      if (!packages.has(id)) {
        packages.set(id, {
          name: used.path,
          SPDXID: id,
          versionInfo: used.version,
          downloadLocation: 'NOASSERTION',
          filesAnalyzed: false,
          primaryPackagePurpose: 'LIBRARY',
          externalRefs: [
            { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl(used) },
          ],
          ...(used.sum ? { comment: `go.sum ${used.sum}` } : {}),
        });
      }
      relationships.push({ spdxElementId: binaryId, relationshipType: 'DEPENDS_ON', relatedSpdxElement: id });
    }
  }
  const body = { packages: [...packages.values()], relationships };
  const hash = createHash('sha256')
    .update(JSON.stringify([subject, body]))
    .digest('hex')
    .slice(0, 32);
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: subject.version ? `${subject.name}:${subject.version}` : subject.name,
    documentNamespace: `https://spdx.org/spdxdocs/gin-deploy/${subject.name.replace(/[^A-Za-z0-9.-]/g, '-')}-${hash}`,
    creationInfo: {
      created: rfc3339(subject.created),
      creators: ['Tool: gin-deploy-docker-multistage'],
    },
    ...body,
  };
}

function spdxId(text: string): string {
  return `SPDXRef-${text.replace(/[^A-Za-z0-9.-]/g, '-')}`;
}

/** purl spec: golang packages keep their path as namespace/name, lower-cased only where the spec says. */
function purl(module: GoModule): string {
  const path = module.path === 'stdlib' ? 'stdlib' : module.path.split('/').map(encodeURIComponent).join('/');
  return `pkg:golang/${path}@${encodeURIComponent(module.version)}`;
}
