import { parseDuration, parseFraction, UserError } from '@gin-deploy/action';
import { parse as parseYaml } from 'yaml';

/** Parses YAML (JSON is YAML too); a syntax error names the source and the line. */
export function parseDocument(text: string, source: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    throw new UserError(`${source}: not valid YAML or JSON (${message})`);
  }
}

/**
 * Reads values out of a parsed YAML document, so that every error names the source, the path inside it
 * (`spec.indicator.ratioMetric.good`) and what was expected there.
 */
export class SpecNode {
  constructor(
    readonly value: unknown,
    readonly source: string,
    readonly path: string,
  ) {}

  fail(expected: string): UserError {
    const got = this.value === undefined ? 'nothing' : `${JSON.stringify(this.value)?.slice(0, 60)}`;
    return new UserError(`${this.source}: at '${this.path || '(top)'}': expected ${expected}, got ${got}`);
  }

  /** The same place holding another value (a mapping with some fields taken out). */
  with(value: unknown): SpecNode {
    return new SpecNode(value, this.source, this.path);
  }

  child(key: string): SpecNode {
    const record = this.value !== null && typeof this.value === 'object' && !Array.isArray(this.value);
    const value = record ? (this.value as Record<string, unknown>)[key] : undefined;
    return new SpecNode(value, this.source, this.path ? `${this.path}.${key}` : key);
  }

  get present(): boolean {
    return this.value !== undefined && this.value !== null;
  }

  isRecord(): boolean {
    return this.value !== null && typeof this.value === 'object' && !Array.isArray(this.value);
  }

  record(expected = 'a mapping'): SpecNode {
    if (!this.isRecord()) throw this.fail(expected);
    return this;
  }

  /**
   * Refuses fields this reader does not know, naming the first and listing the known ones, so that a typo or
   * a field of a newer spec is never silently read as something else.
   */
  only(known: readonly string[]): this {
    const unknown = this.keys().filter((key) => !known.includes(key));
    if (unknown.length > 0) {
      const at = this.path ? `${this.path}.${unknown[0]}` : unknown[0];
      throw new UserError(
        `${this.source}: at '${at}': unknown field '${unknown[0]}'; expected one of ${known.join(', ')}`,
      );
    }
    return this;
  }

  keys(): string[] {
    return this.isRecord() ? Object.keys(this.value as object) : [];
  }

  list(expected = 'a list'): SpecNode[] {
    if (!Array.isArray(this.value)) throw this.fail(expected);
    return this.value.map((item, index) => new SpecNode(item, this.source, `${this.path}[${index}]`));
  }

  string(expected = 'a string'): string {
    if (typeof this.value !== 'string' || this.value.trim() === '') throw this.fail(expected);
    return this.value.trim();
  }

  optionalString(expected = 'a string'): string | undefined {
    return this.present ? this.string(expected) : undefined;
  }

  optionalNumber(expected: string): number | undefined {
    if (!this.present) return undefined;
    const number = typeof this.value === 'string' ? Number(this.value) : this.value;
    if (typeof number !== 'number' || !Number.isFinite(number)) throw this.fail(expected);
    return number;
  }

  optionalBoolean(): boolean | undefined {
    if (!this.present) return undefined;
    if (typeof this.value !== 'boolean') throw this.fail('true or false');
    return this.value;
  }

  /** Milliseconds from `5m`, `28d`… */
  optionalDuration(): number | undefined {
    if (!this.present) return undefined;
    const ms = typeof this.value === 'string' ? parseDuration(this.value) : undefined;
    if (ms === undefined || ms <= 0) throw this.fail('a duration such as 5m, 1h or 28d');
    return ms;
  }

  /** A fraction from `10%`, `0.1` or 0.1. */
  optionalFraction(): number | undefined {
    if (!this.present) return undefined;
    const fraction = parseFraction(String(this.value));
    if (fraction === undefined || fraction < 0)
      throw this.fail('a percentage such as 10% or a fraction such as 0.1');
    return fraction;
  }
}
