import { openSync, readSync, closeSync } from 'node:fs';

/** What an executable's header says it is, read the way `file` does: format, word size and GOARCH-style machine. */
export interface ExecutableHeader {
  format: 'ELF' | 'Mach-O' | 'PE' | 'unknown';
  bits?: 32 | 64;
  arch?: string;
  /** ELF only: whether a .symtab section is present (absent after -s). */
  symbolTable?: boolean;
}

const ELF_MACHINES: Record<number, string> = {
  0x03: '386',
  0x28: 'arm',
  0x3e: 'amd64',
  0xb7: 'arm64',
  0xf3: 'riscv64',
};
const MACHO_CPUS: Record<number, string> = { 0x01000007: 'amd64', 0x0100000c: 'arm64' };
const PE_MACHINES: Record<number, string> = { 0x014c: '386', 0x8664: 'amd64', 0xaa64: 'arm64' };

function readAt(file: string, offset: number, length: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, offset);
    return buffer;
  } finally {
    closeSync(fd);
  }
}

export function readExecutableHeader(file: string): ExecutableHeader {
  const head = readAt(file, 0, 64);
  if (head.readUInt32BE(0) === 0x7f454c46) return readElf(file, head);
  if (head.readUInt32LE(0) === 0xfeedfacf)
    return {
      format: 'Mach-O',
      bits: 64,
      arch: MACHO_CPUS[head.readUInt32LE(4)] ?? `cpu ${head.readUInt32LE(4)}`,
    };
  if (head.toString('latin1', 0, 2) === 'MZ') {
    const peOffset = head.readUInt32LE(0x3c);
    const pe = readAt(file, peOffset, 26);
    if (pe.toString('latin1', 0, 4) !== 'PE\0\0') return { format: 'unknown' };
    const machine = pe.readUInt16LE(4);
    const magic = pe.readUInt16LE(24);
    return {
      format: 'PE',
      bits: magic === 0x20b ? 64 : 32,
      arch: PE_MACHINES[machine] ?? `machine ${machine}`,
    };
  }
  return { format: 'unknown' };
}

function readElf(file: string, head: Buffer): ExecutableHeader {
  const bits = head[4] === 2 ? 64 : 32;
  const little = head[5] === 1;
  const u16 = (b: Buffer, at: number) => (little ? b.readUInt16LE(at) : b.readUInt16BE(at));
  const u32 = (b: Buffer, at: number) => (little ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const u64 = (b: Buffer, at: number) => Number(little ? b.readBigUInt64LE(at) : b.readBigUInt64BE(at));
  const machine = u16(head, 18);
  const sectionOffset = bits === 64 ? u64(head, 0x28) : u32(head, 0x20);
  const entrySize = u16(head, bits === 64 ? 0x3a : 0x2e);
  const count = u16(head, bits === 64 ? 0x3c : 0x30);
  const table = readAt(file, sectionOffset, entrySize * count);
  let symbolTable = false;
  for (let index = 0; index < count; index++) {
    if (u32(table, index * entrySize + 4) === 2) symbolTable = true; // SHT_SYMTAB
  }
  return { format: 'ELF', bits, arch: ELF_MACHINES[machine] ?? `machine ${machine}`, symbolTable };
}
