// The small formats every action and library writes the same way: byte sizes for people, RFC 3339 times
// for files and APIs.

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/**
 * Bytes in binary units with at most `fractionDigits` decimals, trailing zeros dropped: 22_334_669 →
 * `21.3 MiB`, 2 ** 30 → `1 GiB`, 512 → `512 B`; a negative size (a change) keeps its sign.
 */
export function formatBytes(bytes: number, fractionDigits = 1): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number(value.toFixed(fractionDigits))} ${BYTE_UNITS[unit]}`;
}

/**
 * RFC 3339 in UTC to the second, `2024-05-06T07:08:09Z`, from Unix seconds (a fraction is dropped): the form
 * Go-based tools, OCI image configs and SPDX documents write and re-read.
 */
export function rfc3339(unixSeconds: number): string {
  return new Date(Math.floor(unixSeconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Kubernetes' MicroTime (a Lease's acquireTime and renewTime): RFC 3339 in UTC with six decimals,
 * `2024-05-06T07:08:09.123000Z`; JavaScript's clock has milliseconds.
 */
export function rfc3339Micro(time: Date = new Date()): string {
  return time.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
