// Text and names that come from a server are untrusted input. Two rules, one place:
// - a name a server gives (a listing, a link target's last part, a download) is used as a file name only
//   if it names one entry of the folder it is written into (`unsafeNameReason` says why not otherwise);
// - text a server sends (banners, prompts, disconnect reasons, error details, file names) is shown only
//   with every control character and every bidirectional override made visible (`visible`), as OpenSSH
//   passes such text through strnvis before it prints it.

/** C0 controls, DEL and C1 controls: none of them belongs in a file name or in text shown as-is */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/**
 * Bidirectional embeddings, overrides and isolates, and the marks: U+202E makes `gnp.exe` read as `exe.png`.
 * Line and paragraph separators (U+2028/2029) and BOM-like invisibles are made visible too.
 */
const INVISIBLE = /[\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

/** Windows: `\` separates folders too, `:` names a drive or a stream, and these are refused in any name */
const WINDOWS_CHARS = /[\\:*?"<>|]/;
/** Windows: device names (`nul`, `com1.txt`) open the device, and a trailing dot or space is dropped (`.. ` is `..`) */
const WINDOWS_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$|[. ]$/i;

/**
 * Why `name` cannot be used as one file name inside a folder, or null when it can. `windows`: the folder
 * is on Windows, whose own rules apply too.
 */
export function unsafeNameReason(name: string, { windows = false }: { windows?: boolean } = {}): string | null {
  if (name === '') return 'it is empty';
  if (name === '.' || name === '..') return `"${name}" names a folder, not an entry in it`;
  if (name.includes('/')) return 'it contains "/", so it would be written into another folder';
  if (name.includes('\u0000')) return 'it contains a NUL byte';
  if (CONTROL.test(name)) return 'it contains control characters';
  if (name.length > 1024) return 'it is longer than 1024 characters';
  if (windows && WINDOWS_CHARS.test(name)) return 'it contains one of \\ : * ? " < > |, which Windows does not allow in a file name';
  if (windows && WINDOWS_NAMES.test(name)) return 'Windows would not keep it as written (a device name such as NUL, or a trailing dot or space)';
  return null;
}

const escapeChar = (ch: string): string => {
  const code = ch.codePointAt(0)!;
  if (ch === '\u001b') return '\\e';
  if (ch === '\r') return '\\r';
  if (ch === '\t') return '\\t';
  if (ch === '\n') return '\\n';
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
  return `\\u${code.toString(16).padStart(4, '0')}`;
};

const ALL = new RegExp(`${CONTROL.source}|${INVISIBLE.source}`, 'g');
const ALL_BUT_LINES = new RegExp(`(?![\\n\\t])(?:${CONTROL.source}|${INVISIBLE.source})`, 'g');

/**
 * `text` with every control character and invisible direction mark replaced by a visible escape
 * (`\e`, `\x07`, `\u202e`): safe to print on a terminal or show in the UI. With `lines`, newlines and
 * tabs are kept (a multi-line banner stays readable) and CR LF, SSH's line end, is a newline; any other
 * CR is escaped, so no line can be overdrawn.
 */
export function visible(text: string, opts: { lines?: boolean } = {}): string {
  return opts.lines ? text.replace(/\r\n/g, '\n').replace(ALL_BUT_LINES, escapeChar) : text.replace(ALL, escapeChar);
}

/** True when `visible` would change `text`. */
export function hasHiddenCharacters(text: string): boolean {
  return CONTROL.test(text) || INVISIBLE.test(text);
}
