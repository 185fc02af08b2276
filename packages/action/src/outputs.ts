import * as core from '@actions/core';
import { throwIfCancelled } from './cancellation.js';

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

  /**
   * Writes the outputs. The step's results are refused once the job was cancelled (a CancelledError), so no step
   * reports success for work it was told to stop; `failure: true` marks the outputs a failed step writes.
   */
  publish({ failure = false }: { failure?: boolean } = {}): void {
    if (!failure) throwIfCancelled("the step's results were written");
    for (const [name, value] of Object.entries(this.values)) core.setOutput(name, serialize(value));
    core.setOutput('json', JSON.stringify(this.values));
  }
}

export function serialize(value: OutputValue): string {
  if (value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
