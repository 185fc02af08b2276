import * as core from '@actions/core';

export { debug, info, notice, warning, error } from '@actions/core';
export type { AnnotationProperties } from '@actions/core';

export function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  return core.group(name, fn);
}

/** Masks a secret in every later log line; empty values are ignored (masking '' would mask nothing useful). */
export function maskSecret(value: string | undefined): void {
  if (value) core.setSecret(value);
}
