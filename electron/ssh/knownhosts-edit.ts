// Replacing a host's key in an OpenSSH known_hosts file, after "REMOTE HOST IDENTIFICATION HAS
// CHANGED" and the user's confirmation: the name comes out of the lines that give it another key of
// the same type (a whole line, or just that name from a comma-separated list), the new key goes where
// the old one was, and the file is written whole to a temporary name and renamed over (its mode kept).
// Every other line stays byte for byte: comments, other hosts, other key types, @revoked and
// @cert-authority lines.
import { randomBytes } from 'node:crypto';
import { open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { KNOWN_HOSTS_FILE, readIfExists } from '../files/read.js';
import { fingerprintSHA256, hashedMatches, hashedName, hostMatches, keyTypeOf, parseLine } from './knownhosts.js';

/** A line that gave the name another key of this type. */
export interface StaleLine {
  /** 1-based, in the file as it was */
  line: number;
  fingerprint: string;
  /** a `|1|salt|hash` entry */
  hashed: boolean;
}

export interface KnownHostsEdit {
  /** the new text (the old one when nothing changed) */
  text: string;
  stale: StaleLine[];
  /** lines that would still give the name another key of this type: by a wildcard pattern, which only a person can rewrite */
  patterns: number[];
}

/**
 * Takes `name` (`host`, or `[host]:port` for another port than 22: knownHostsName) out of every plain
 * host-key line holding a key of `key`'s type other than `key`; with `add`, writes `key` for the name
 * in place of the first such line (hashed if that one was), or at the end when there was none. The text
 * is latin1 (one char per byte), so bytes that are not UTF-8 survive untouched; CRLF lines stay CRLF.
 */
export function editKnownHosts(text: string, name: string, key: Buffer, add: boolean): KnownHostsEdit {
  const type = keyTypeOf(key);
  const plainName = Buffer.from(name, 'utf8').toString('latin1');
  const stale: StaleLine[] = [];
  const patterns: number[] = [];
  const out: string[] = [];
  let insertAt: { index: number; cr: boolean; hashed: boolean } | null = null;
  for (const [i, raw] of text.split('\n').entries()) {
    const cr = raw.endsWith('\r');
    const body = cr ? raw.slice(0, -1) : raw;
    const entry = parseLine(body, '', i + 1);
    if (!entry || entry.marker !== undefined || entry.type !== type || entry.blob.equals(key)) {
      out.push(raw);
      continue;
    }
    const hashed = entry.hosts.startsWith('|');
    const names = hashed ? [] : entry.hosts.split(',');
    const kept = names.filter((n) => n.toLowerCase() !== plainName);
    const found = hashed ? hashedMatches(entry.hosts, name) : kept.length < names.length;
    if (found) {
      stale.push({ line: i + 1, fingerprint: fingerprintSHA256(entry.blob), hashed });
      if (kept.length > 0) out.push(`${body.replace(/^(\s*)\S+/, `$1${kept.join(',')}`)}${cr ? '\r' : ''}`);
      insertAt ??= { index: out.length, cr, hashed };
    } else out.push(raw);
    if (!hashed && kept.length > 0 && hostMatches(kept.join(','), plainName)) patterns.push(i + 1);
  }
  if (add) {
    const crlf = insertAt?.cr ?? text.includes('\r\n');
    const line = `${insertAt?.hashed ? hashedName(name) : plainName} ${type} ${key.toString('base64')}${crlf ? '\r' : ''}`;
    if (insertAt) out.splice(insertAt.index, 0, line);
    else {
      // a last line without its newline gets one first (CRLF in a CRLF file)
      if (out.at(-1) !== '') out.push((out.pop() ?? '') + (crlf ? '\r' : ''), '');
      out.splice(-1, 0, line);
    }
  }
  return { text: out.join('\n'), stale, patterns };
}

/** The file's text as editKnownHosts takes it (latin1), or null when it does not exist; bounded, a regular file (files/read.ts). */
export async function readKnownHosts(file: string): Promise<string | null> {
  return (await readIfExists(file, KNOWN_HOSTS_FILE))?.toString('latin1') ?? null;
}

/** Writes the (latin1) text to a temporary file beside the real file (through symlinks) with its mode, then renames it over: readers see the old file or the new one, never half of one. */
export async function writeKnownHosts(file: string, text: string): Promise<void> {
  const real = await realpath(file);
  const { mode } = await stat(real);
  const temp = join(dirname(real), `.${basename(real)}.warren-${randomBytes(6).toString('hex')}`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(Buffer.from(text, 'latin1'));
    await handle.chmod(mode & 0o7777);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, real).catch(async (e: unknown) => {
    await rm(temp, { force: true });
    throw e;
  });
}
