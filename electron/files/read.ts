// Reading a file Warren was given by path (an IdentityFile, a key to import, an ssh_config and its
// Includes, a known_hosts file): it must be a regular file, and no more than a cap is read. Without
// that, /dev/zero grows the process until the OS kills it, and a FIFO blocks one of libuv's four
// file-system threads for good (then DNS, file panes and the vault stall behind it).
import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { WarrenError, type ErrorCode } from '../../shared/errors.js';

const MiB = 1024 * 1024;

/** What a file is to the caller: how its errors are named and how much of it Warren reads. */
export interface FileKind {
  /** leads each message: 'Key file', 'ssh_config file', … */
  label: string;
  /** what a larger file cannot be: 'a key', … */
  noun: string;
  maxBytes: number;
  code: ErrorCode;
}

/** private keys, their .pub and -cert.pub */
export const KEY_FILE: FileKind = { label: 'Key file', noun: 'a key', maxBytes: MiB, code: 'KEY_FILE' };
/** an ssh_config and the files it includes */
export const CONFIG_FILE: FileKind = { label: 'ssh_config file', noun: 'an ssh_config', maxBytes: 4 * MiB, code: 'BAD_REQUEST' };
/** ~/.ssh/known_hosts and Warren's own */
export const KNOWN_HOSTS_FILE: FileKind = { label: 'known_hosts file', noun: 'a known_hosts file Warren reads', maxBytes: 16 * MiB, code: 'STORE' };

const CHUNK = 64 * 1024;

function typeOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}

const mib = (n: number) => `${n / MiB} MiB`;

/**
 * The file's bytes. Opened without blocking (a FIFO's open would wait for a writer), checked on the
 * open handle to be a regular file, and read up to `kind.maxBytes`: anything else is a WarrenError of
 * `kind.code` that names the file and why (`reason`: missing, not-regular, too-large, or the errno).
 */
export async function readBounded(file: string, kind: FileKind): Promise<Buffer> {
  const refuse = (reason: string, why: string) => new WarrenError(kind.code, `${kind.label} ${file} ${why}`, { path: file, reason });
  const handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0)).catch((e: NodeJS.ErrnoException) => {
    throw e.code === 'ENOENT' || e.code === 'ENOTDIR'
      ? refuse('missing', 'does not exist.')
      : refuse(e.code ?? 'unreadable', `cannot be read (${e.code ?? e.message}).`);
  });
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw refuse('not-regular', `is not a regular file (${typeOf(st)}): Warren reads only regular files.`);
    const tooLarge = () => refuse('too-large', `is larger than ${mib(kind.maxBytes)}: not ${kind.noun}.`);
    if (st.size > kind.maxBytes) throw tooLarge();
    // the size is only a hint (a file may grow, /proc files report 0): at most maxBytes + 1 are read
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const want = Math.min(CHUNK, kind.maxBytes + 1 - total);
      const { bytesRead, buffer } = await handle.read(Buffer.allocUnsafe(want), 0, want, null);
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
      if (total > kind.maxBytes) throw tooLarge();
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

/** Like readBounded, but a file that does not exist is null (a .pub or -cert.pub beside a key, a known_hosts file). */
export async function readIfExists(file: string, kind: FileKind): Promise<Buffer | null> {
  return readBounded(file, kind).catch((e: unknown) => {
    if (e instanceof WarrenError && e.detail?.reason === 'missing') return null;
    throw e;
  });
}
