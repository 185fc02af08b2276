/** A line of request headers that is no `Name: value`; the value is left out, since it may be a secret. */
export class HeaderLineError extends Error {
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line} ${problem}`);
    this.name = 'HeaderLineError';
  }
}

// RFC 9110's token: the characters a field name may hold (no ':' or '=', so the first of them ends it).
const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Extra request headers for a Prometheus-compatible API, one per line: `Name: value`, as HTTP writes them
 * (`X-Scope-OrgID: tenant-1`). `Name=value` is read too, the spelling slo-gate took first. The name ends at
 * the first `:` or `=`; the value is the rest, trimmed, and may hold either. Empty lines and `#` comments are
 * skipped; a later line for the same name replaces the earlier one.
 */
export function parsePrometheusHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const at = line.search(/[:=]/);
    if (at < 0) throw new HeaderLineError(index + 1, "has no ':' between the header name and its value");
    const name = line.slice(0, at).trim();
    if (!FIELD_NAME.test(name))
      throw new HeaderLineError(index + 1, 'does not start with a header name (letters, digits and -)');
    headers[name] = line.slice(at + 1).trim();
  });
  return headers;
}
