// authorized_keys text (sshd(8) AUTHORIZED_KEYS FILE FORMAT): find, add and remove a key's line,
// comparing keys (not whole lines), leaving every other line exactly as it was.
import { parsePublicLine } from '../agent/keyinfo.js';

export interface AuthorizedLine {
  /** the options field (`command="…",no-pty`), '' for none */
  options: string;
  blob: Buffer;
  comment: string;
}

/** One line: options (quoted strings may hold spaces and \"), then `type base64 [comment]`; null for comments, blanks and junk. */
export function parseAuthorizedLine(line: string): AuthorizedLine | null {
  const s = line.trim();
  if (s === '' || s.startsWith('#')) return null;
  const plain = parsePublicLine(s);
  if (plain) return { options: '', ...plain };
  let i = 0;
  for (let quoted = false; i < s.length; i++) {
    const c = s[i]!;
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && /\s/.test(c)) break;
  }
  const key = parsePublicLine(s.slice(i).trim());
  return key ? { options: s.slice(0, i), ...key } : null;
}

const lines = (text: string) => text.split('\n');

/** the line that authorizes this key, if any */
export function findKey(text: string, blob: Buffer): AuthorizedLine | null {
  for (const l of lines(text)) {
    const parsed = parseAuthorizedLine(l);
    if (parsed?.blob.equals(blob)) return parsed;
  }
  return null;
}

/** the text with `line` appended (on a line of its own), or null when its key is already there */
export function addLine(text: string, line: string): string | null {
  const key = parseAuthorizedLine(line);
  if (!key) throw new Error('not an authorized_keys line');
  if (findKey(text, key.blob)) return null;
  return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${line}\n`;
}

/** the text without the lines of this key, or null when there are none */
export function removeKey(text: string, blob: Buffer): string | null {
  const kept = lines(text).filter((l) => !parseAuthorizedLine(l)?.blob.equals(blob));
  return kept.length === lines(text).length ? null : kept.join('\n');
}
