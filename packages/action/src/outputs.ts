import * as core from '@actions/core';

export type OutputValue = string | number | boolean | object | undefined;

/** Collects the step's outputs, writes each one, and also writes them all as the `json` output. */
export class Outputs {
  private readonly values: Record<string, OutputValue> = {};

  set(name: string, value: OutputValue): this {
    this.values[name] = value;
    return this;
  }

  get all(): Readonly<Record<string, OutputValue>> {
    return this.values;
  }

  publish(): void {
    for (const [name, value] of Object.entries(this.values)) core.setOutput(name, serialize(value));
    core.setOutput('json', JSON.stringify(this.values));
  }
}

export function serialize(value: OutputValue): string {
  if (value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
