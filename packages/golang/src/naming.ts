import path from 'node:path';
import { targetLabel, type Target } from './targets.js';

export const DEFAULT_NAME_TEMPLATE = '{name}-{os}-{arch}{variant}{ext}';

const PLACEHOLDERS = ['name', 'os', 'arch', 'variant', 'ext'] as const;

/** A file-name template that names an unknown placeholder, leaves the output directory, or gives two targets one file. */
export class NameTemplateError extends Error {
  constructor(
    message: string,
    readonly template: string,
  ) {
    super(message);
    this.name = 'NameTemplateError';
  }
}

/** The executable suffix Go itself uses (GOEXE), plus `.wasm` for the WebAssembly ports. */
export function executableSuffix(target: Target): string {
  if (target.os === 'windows') return '.exe';
  if (target.arch === 'wasm') return '.wasm';
  return '';
}

/** `{name}-{os}-{arch}{variant}{ext}` → `api-linux-armv7`; an unknown placeholder is a NameTemplateError naming the valid ones. */
export function renderName(
  template: string,
  name: string,
  target: Target,
  ext = executableSuffix(target),
): string {
  const values: Record<(typeof PLACEHOLDERS)[number], string> = {
    name,
    os: target.os,
    arch: target.arch,
    variant: target.variant,
    ext,
  };
  return template.replace(/\{([^{}]*)\}/g, (whole, key: string) => {
    if (!(PLACEHOLDERS as readonly string[]).includes(key))
      throw new NameTemplateError(
        `unknown placeholder ${whole}; valid: ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
        template,
      );
    return values[key as (typeof PLACEHOLDERS)[number]];
  });
}

/**
 * The output file of each target, relative to the output directory. Names must stay inside it and differ
 * between targets, or one build would overwrite another's binary (NameTemplateError otherwise).
 */
export function outputNames(template: string, name: string, targets: readonly Target[]): string[] {
  const seen = new Map<string, Target>();
  return targets.map((target) => {
    const file = renderName(template, name, target);
    const normal = path.posix.normalize(file);
    if (file === '' || path.posix.isAbsolute(file) || normal.split('/').includes('..') || file.endsWith('/'))
      throw new NameTemplateError(
        `'${template}' gives '${file}'; expected a relative file name inside the output directory`,
        template,
      );
    const clash = seen.get(normal);
    if (clash)
      throw new NameTemplateError(
        `'${template}' gives '${file}' for both ${targetLabel(clash)} and ${targetLabel(target)}; add {os}, {arch} or {variant}`,
        template,
      );
    seen.set(normal, target);
    return normal;
  });
}

/** The binary's name inside archives and the archive's base name: the template without the executable suffix. */
export function archiveBaseName(template: string, name: string, target: Target): string {
  return path.posix.normalize(renderName(template, name, target, ''));
}

/** `github.com/acme/api/v2` → `api`: the last path element that is not a major-version suffix, as `go install` names it. */
export function binaryNameFromModule(modulePath: string): string {
  const elements = modulePath.split('/').filter(Boolean);
  const last = elements.at(-1) ?? modulePath;
  if (/^v\d+$/.test(last) && elements.length > 1) return elements.at(-2)!;
  return last;
}
