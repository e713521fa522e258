// What a server sends before its SSH identification line (RFC 4253 §4.2 lets other lines come first),
// watched on the raw transport for connect() and the doctor. ssh2 reads such lines without end (it keeps
// only its first chunk and counts lines anew on each one), so a server that never stops sending them would
// hold the connection, and a core, until the login timeout: Warren gives up after MAX_PRE_IDENT_BYTES.
import type { Duplex } from 'node:stream';

/** The most a server may send before its identification line; then Warren gives up on it. */
export const MAX_PRE_IDENT_BYTES = 256 * 1024;
const KEEP_LINES = 20;
/** ssh2 (as OpenSSH) refuses a longer line before the identification */
const MAX_LINE = 8192;

export interface PreIdent {
  /** the `SSH-…` identification line, once it came */
  ident: string | null;
  /** the first lines before it, one character per byte (latin1): `textOf` reads them */
  lines: string[];
  /** bytes received until the identification line came (so far, while it has not) */
  bytes: number;
  /** the line being received, while no identification has come (at most 8 KiB) */
  rest: string;
  /** more than MAX_PRE_IDENT_BYTES came without an identification line */
  flooded: boolean;
}

/** Bytes kept one character per byte, read as the UTF-8 text RFC 4253 §4.2 asks these lines to be. */
export function textOf(latin1: string): string {
  return Buffer.from(latin1, 'latin1').toString('utf8');
}

/** The first thing the server said (latin1), while it has not identified itself: its first line, or the start of one. */
export function firstWords(seen: PreIdent): string | null {
  if (seen.ident !== null) return null;
  return seen.lines.find((l) => l.trim() !== '') ?? (seen.rest || null);
}

/**
 * Watches `sock` until the identification line comes, or until MAX_PRE_IDENT_BYTES came without one
 * (`flooded`; the caller ends the connection). `onChange` sees every chunk's effect.
 */
export function watchIdentification(sock: Duplex, onChange: (seen: PreIdent) => void): PreIdent {
  const seen: PreIdent = { ident: null, lines: [], bytes: 0, rest: '', flooded: false };
  const onData = (chunk: Buffer) => {
    seen.bytes += chunk.length;
    let text = seen.rest + chunk.toString('latin1');
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n')) {
      const line = text.slice(0, nl).replace(/\r$/, '');
      if (line.startsWith('SSH-')) {
        seen.ident = line;
        seen.rest = '';
        sock.off('data', onData);
        return onChange(seen);
      }
      if (seen.lines.length < KEEP_LINES) seen.lines.push(line.slice(0, MAX_LINE));
      text = text.slice(nl + 1);
    }
    seen.rest = text.slice(0, MAX_LINE);
    if (seen.bytes > MAX_PRE_IDENT_BYTES) {
      seen.flooded = true;
      sock.off('data', onData);
    }
    onChange(seen);
  };
  sock.on('data', onData);
  return seen;
}

/** The server software its identification line names (`SSH-2.0-OpenSSH_9.2p1 Debian-2`, `SSH-2.0-dropbear_2022.83`, …), for advice that fits it. */
export type ServerSoftware = 'OpenSSH' | 'Dropbear' | 'TinySSH' | 'AsyncSSH' | 'Paramiko' | null;
export function serverSoftware(ident: string | null): ServerSoftware {
  const software = /^SSH-[\d.]+-(\S+)/.exec(ident ?? '')?.[1]?.toLowerCase() ?? '';
  if (software.startsWith('openssh')) return 'OpenSSH';
  if (software.startsWith('dropbear')) return 'Dropbear';
  if (software.startsWith('tinyssh')) return 'TinySSH';
  if (software.startsWith('asyncssh')) return 'AsyncSSH';
  if (software.startsWith('paramiko')) return 'Paramiko';
  return null;
}
