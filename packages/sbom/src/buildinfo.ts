import { readFileSync } from 'node:fs';

/** A Go binary's embedded build info, as `go version -m` prints it. */
export interface BuildInfo {
  goVersion: string;
  path: string;
  main: GoModule;
  deps: GoModule[];
  settings: Record<string, string>;
}

export interface GoModule {
  path: string;
  version: string;
  sum?: string;
  replace?: GoModule;
}

// runtime/debug and cmd/go/internal/version: a 32-byte header at a 16-byte boundary, then (flag 0x2, Go 1.18+)
// the Go version and the module info inline as uvarint-prefixed strings.
const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const INLINE_STRINGS = 0x2;

export function readBuildInfo(file: string): BuildInfo | undefined {
  return parseBuildInfoBinary(readFileSync(file));
}

export function parseBuildInfoBinary(data: Buffer): BuildInfo | undefined {
  for (let at = data.indexOf(MAGIC); at >= 0; at = data.indexOf(MAGIC, at + 1)) {
    if (at % 16 !== 0 || at + 32 > data.length) continue;
    if ((data[at + 15] & INLINE_STRINGS) === 0) return undefined;
    const version = readString(data, at + 32);
    if (!version) return undefined;
    const modinfo = readString(data, version.end);
    if (!modinfo) return undefined;
    return parseModInfo(version.text, stripSentinels(modinfo.text));
  }
  return undefined;
}

function readString(data: Buffer, offset: number): { text: string; end: number } | undefined {
  let length = 0;
  let shift = 0;
  let at = offset;
  for (;;) {
    if (at >= data.length || shift > 35) return undefined;
    const byte = data[at++];
    length += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) break;
  }
  if (at + length > data.length) return undefined;
  return { text: data.subarray(at, at + length).toString('utf8'), end: at + length };
}

/** The linker wraps the module info in two 16-byte sentinels. */
function stripSentinels(text: string): string {
  if (text.length >= 33 && text[text.length - 17] === '\n') return text.slice(16, text.length - 16);
  return text;
}

/** Parses the text `go version -m` prints after the first line (tab-separated path, mod, dep, =>, build). */
export function parseModInfo(goVersion: string, text: string): BuildInfo {
  const info: BuildInfo = { goVersion, path: '', main: { path: '', version: '' }, deps: [], settings: {} };
  let last: GoModule | undefined;
  for (const line of text.split('\n')) {
    const fields = line.replace(/^\t/, '').split('\t');
    const module = (): GoModule => ({
      path: fields[1] ?? '',
      version: fields[2] ?? '',
      ...(fields[3] ? { sum: fields[3] } : {}),
    });
    switch (fields[0]) {
      case 'path':
        info.path = fields[1] ?? '';
        break;
      case 'mod':
        info.main = last = module();
        break;
      case 'dep':
        info.deps.push((last = module()));
        break;
      case '=>':
        if (last) last.replace = module();
        break;
      case 'build': {
        const eq = (fields[1] ?? '').indexOf('=');
        if (eq > 0) info.settings[fields[1].slice(0, eq)] = fields[1].slice(eq + 1);
        break;
      }
    }
  }
  return info;
}
