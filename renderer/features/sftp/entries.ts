import type { Entry } from '../../../shared/sftp.js';

export type SortKey = 'name' | 'size' | 'mtime';
export interface Sort {
  key: SortKey;
  desc: boolean;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** A folder, or a symlink to one: double-click enters it, a drop lands in it. */
export const isDirLike = (e: Entry) => e.kind === 'dir' || (e.kind === 'symlink' && e.linkKind === 'dir');

export const isHidden = (e: Entry) => e.name.startsWith('.');

/** Folders first, then by the chosen column (ties by name); hidden entries only when asked. */
export function arrange(entries: readonly Entry[], sort: Sort, showHidden: boolean): Entry[] {
  const shown = showHidden ? entries : entries.filter((e) => !isHidden(e));
  const sign = sort.desc ? -1 : 1;
  const by = (a: Entry, b: Entry) => (sort.key === 'size' ? a.size - b.size : sort.key === 'mtime' ? a.mtime - b.mtime : 0);
  return shown.toSorted((a, b) => Number(isDirLike(b)) - Number(isDirLike(a)) || sign * (by(a, b) || collator.compare(a.name, b.name)));
}

const TYPE_CHAR: Record<Entry['kind'], string> = { file: '-', dir: 'd', symlink: 'l', other: '?' };

/** `drwxr-xr-x`, as `ls -l` prints it (setuid, setgid and sticky included). */
export function modeString(kind: Entry['kind'], mode: number): string {
  const bit = (mask: number, c: string) => (mode & mask ? c : '-');
  const exec = (x: number, special: number, on: string) => (mode & special ? (mode & x ? on : on.toUpperCase()) : bit(x, 'x'));
  return (
    TYPE_CHAR[kind] +
    bit(0o400, 'r') +
    bit(0o200, 'w') +
    exec(0o100, 0o4000, 's') +
    bit(0o040, 'r') +
    bit(0o020, 'w') +
    exec(0o010, 0o2000, 's') +
    bit(0o004, 'r') +
    bit(0o002, 'w') +
    exec(0o001, 0o1000, 't')
  );
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2025-03-14 09:26`, local time */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The narrow pane's date: `09:26` today, `Mar 14` this year, `2024-03-14` before; local time. */
export function formatShortDate(ms: number, now: number = Date.now()): string {
  const d = new Date(ms);
  const today = new Date(now);
  if (d.getFullYear() !== today.getFullYear()) return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  if (d.getMonth() !== today.getMonth() || d.getDate() !== today.getDate()) return `${MONTHS[d.getMonth()]} ${d.getDate()}`;
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
