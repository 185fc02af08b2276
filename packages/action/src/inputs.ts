import * as core from '@actions/core';
import { parseDuration } from './duration.js';
import { UserError } from './errors.js';
import { maskSecret } from './log.js';

/** The raw value, trimmed; undefined when the input is absent or empty (never ''). */
export function optionalInput(name: string): string | undefined {
  const value = core.getInput(name);
  return value === '' ? undefined : value;
}

export function requiredInput(name: string, expected?: string): string {
  const value = optionalInput(name);
  if (value === undefined) {
    throw new UserError(
      `input '${name}' is required and was not supplied${expected ? `; expected ${expected}` : ''}`,
    );
  }
  return value;
}

export function invalid(name: string, value: string, expected: string): UserError {
  return new UserError(`input '${name}': '${value}' is not valid; expected ${expected}`);
}

const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);

export function booleanInput(name: string, fallback: boolean): boolean {
  const value = optionalInput(name);
  if (value === undefined) return fallback;
  const lower = value.toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  throw invalid(name, value, 'true or false');
}

/** Items separated by commas or newlines, trimmed, empties dropped. */
export function listInput(name: string): string[] {
  return splitList(optionalInput(name) ?? '');
}

export function splitList(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** One item per line, trimmed, empty lines and `#` comments dropped. */
export function multilineInput(name: string): string[] {
  return (optionalInput(name) ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** `KEY=value` lines (or comma-separated pairs) as an ordered record. */
export function keyValueInput(name: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of multilineInput(name)) {
    const eq = line.indexOf('=');
    if (eq <= 0) throw invalid(name, line, 'KEY=value lines');
    result[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return result;
}

export function jsonInput<T>(name: string): T | undefined {
  const value = optionalInput(name);
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as T;
  } catch (error) {
    throw new UserError(`input '${name}': not valid JSON (${(error as Error).message})`);
  }
}

/**
 * Milliseconds from a duration like `30s`, `10m`, `1h30m`, `28d`; `positive` refuses 0 for what cannot be
 * empty (a timeout, an interval).
 */
export function durationInput(name: string, fallback?: string, options: { positive?: boolean } = {}): number {
  const value = optionalInput(name) ?? fallback;
  if (value === undefined) throw requiredError(name, 'a duration such as 30s, 10m or 1h');
  const ms = parseDuration(value);
  if (ms === undefined) throw invalid(name, value, 'a duration such as 500ms, 30s, 10m, 1h30m or 28d');
  if (options.positive && ms <= 0)
    throw invalid(name, value, 'a duration above 0, such as 500ms, 30s, 10m or 1h');
  return ms;
}

export function enumInput<T extends string>(name: string, values: readonly T[], fallback?: T): T {
  const value = optionalInput(name);
  if (value === undefined) {
    if (fallback !== undefined) return fallback;
    throw requiredError(name, `one of ${values.join(', ')}`);
  }
  const match = values.find((candidate) => candidate === value.toLowerCase());
  if (match === undefined)
    throw new UserError(`input '${name}': '${value}' is not one of ${values.join(', ')}`);
  return match;
}

export interface NumberBounds {
  min?: number;
  max?: number;
  integer?: boolean;
}

export function numberInput(name: string, fallback: number | undefined, bounds: NumberBounds = {}): number {
  const value = optionalInput(name);
  if (value === undefined) {
    if (fallback !== undefined) return fallback;
    throw requiredError(name, describeBounds(bounds));
  }
  const parsed = Number(value);
  const ok =
    value !== '' &&
    Number.isFinite(parsed) &&
    (!bounds.integer || Number.isInteger(parsed)) &&
    (bounds.min === undefined || parsed >= bounds.min) &&
    (bounds.max === undefined || parsed <= bounds.max);
  if (!ok) throw invalid(name, value, describeBounds(bounds));
  return parsed;
}

function describeBounds({ min, max, integer }: NumberBounds): string {
  const kind = integer ? 'a whole number' : 'a number';
  if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`;
  if (min !== undefined) return `${kind} of at least ${min}`;
  if (max !== undefined) return `${kind} of at most ${max}`;
  return kind;
}

/** A fraction from `30%` or `0.3`. */
export function fractionInput(name: string, fallback?: number): number | undefined {
  const value = optionalInput(name);
  if (value === undefined) return fallback;
  const fraction = parseFraction(value);
  if (fraction === undefined)
    throw invalid(name, value, 'a percentage such as 30% or a fraction such as 0.3');
  return fraction;
}

export function parseFraction(text: string): number | undefined {
  const match = /^(-?\d+(?:\.\d+)?)(%?)$/.exec(text.trim());
  if (!match) return undefined;
  const number = Number(match[1]);
  const fraction = match[2] === '%' ? number / 100 : number;
  return fraction >= -1e9 && fraction <= 1 ? fraction : undefined;
}

function requiredError(name: string, expected: string): UserError {
  return new UserError(`input '${name}' is required and was not supplied; expected ${expected}`);
}

/** A credential: masked in the logs before anything else can print it. */
export function secretInput(name: string): string | undefined {
  const value = optionalInput(name);
  if (value !== undefined) core.setSecret(value);
  return value;
}

/**
 * An http:// or https:// URL given in input `name`. The credentials in it are masked (as written and
 * percent-decoded) before anything can print them, and an invalid URL is shown without them.
 */
export function httpUrlInput(name: string, url: string): string {
  const userinfo = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i.exec(url);
  const password = userinfo?.[2].split(':').slice(1).join(':');
  if (password) {
    maskSecret(password);
    try {
      maskSecret(decodeURIComponent(password));
    } catch {
      // Not percent-encoded: masked as written.
    }
  }
  let protocol: string | undefined;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    const shown = userinfo ? url.replace(userinfo[0], `${userinfo[1]}***@`) : url;
    throw invalid(name, shown, 'an http:// or https:// URL');
  }
  return url;
}
