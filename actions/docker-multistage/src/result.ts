import type { CacheOutcome } from '@gin-deploy/action';
import type { LayerStats } from '@gin-deploy/oci';

/** What any builder reports back to the step, for the outputs and the summary. */
export interface BuildResult {
  builder: 'assemble' | 'buildah' | 'docker';
  /** The image index's digest. */
  digest: string;
  pushed: boolean;
  platforms: PlatformResult[];
  base?: { name: string; digest: string };
  sbom?: { file: string; digest: string; artifact?: string };
  /** Dockerfile lint findings, one line each. */
  lint?: string[];
  /** The binaries packed (assemble), with the sha256 (hex) and size verified against the artifacts input. */
  binaries?: { platform: string; sha256: string; size: number }[];
  /** How the layers were made (assemble): compressed, or reused from the layer cache. */
  layers?: LayerStats;
  /** How the layer cache rode the Actions cache (assemble with push). */
  layerCache?: CacheOutcome;
  /** Which tags point at the digest now; `error` when the registry refused one, after which none was tried. */
  tags?: { moved: string[]; unmoved: string[]; error?: string };
}

export interface PlatformResult {
  platform: string;
  digest: string;
  /** Compressed bytes: config and layers. */
  size: number;
  baseSize: number;
  layers: number;
}
