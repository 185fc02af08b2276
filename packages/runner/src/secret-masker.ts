import { unescapeCommandData } from './command-data.js';

const ADD_MASK = /^\s*::add-mask(?: [^:]*)?::(.*)$/;

/**
 * Hides secrets from what a step prints, as the GitHub runner does (actions/runner: `AddMaskCommandExtension`
 * and `SecretMasker`): an `::add-mask::<value>` line (on stdout or stderr, value command-escaped with %25, %0D,
 * %0A) registers the value and is not shown itself; afterwards every registered value is replaced by `***`.
 * A multi-line value is also registered line by line, and in its JSON-escaped form, so that it is hidden
 * wherever a part of it or a JSON rendering of it is printed.
 */
export class SecretMasker {
  /** Longest first, so that a value containing another one is replaced whole. */
  private secrets: string[] = [];

  /** Registers a value; empty and whitespace-only values (and lines) are ignored, as the runner does. */
  add(value: string): void {
    const candidates = [value, ...value.split(/\r?\n/), JSON.stringify(value).slice(1, -1)];
    for (const candidate of candidates) {
      if (candidate.trim() === '' || this.secrets.includes(candidate)) continue;
      this.secrets.push(candidate);
    }
    this.secrets.sort((a, b) => b.length - a.length);
  }

  /** The text with every registered value replaced by `***`. */
  mask(text: string): string {
    let masked = text;
    for (const secret of this.secrets) masked = masked.split(secret).join('***');
    return masked;
  }

  /** One line of a step's output: an add-mask command is taken in and gives `undefined`, any other line is masked. */
  line(line: string): string | undefined {
    const command = ADD_MASK.exec(line);
    if (!command) return this.mask(line);
    this.add(unescapeCommandData(command[1]));
    return undefined;
  }
}
