/**
 * Paths of either pane: POSIX on hosts and on Unix machines, `C:\…` when the machine running Warren
 * is Windows. A path's own form tells which, so the panes need no platform flag.
 */
const isWindows = (p: string) => /^[A-Za-z]:([\\/]|$)/.test(p);

export const separatorOf = (p: string) => (isWindows(p) ? '\\' : '/');

/** the parts of a path: on Windows either slash separates them, on POSIX only `/` (`a\b` is one name there) */
const partsOf = (p: string) => p.split(isWindows(p) ? /[\\/]/ : '/').filter(Boolean);

export function joinPath(dir: string, name: string): string {
  const sep = separatorOf(dir);
  return dir.endsWith(sep) ? `${dir}${name}` : `${dir}${sep}${name}`;
}

export function baseName(p: string): string {
  const parts = partsOf(p);
  return parts[parts.length - 1] ?? p;
}

export interface Crumb {
  name: string;
  path: string;
}

/** `/srv/www` → `/`, `/srv`, `/srv/www`; `C:\Users\me` → `C:\`, `C:\Users`, `C:\Users\me` */
export function crumbsOf(p: string): Crumb[] {
  const sep = separatorOf(p);
  const parts = partsOf(p);
  const root = sep === '/' ? '/' : `${parts.shift()}\\`;
  const crumbs: Crumb[] = [{ name: root, path: root }];
  for (const name of parts) crumbs.push({ name, path: joinPath(crumbs[crumbs.length - 1]!.path, name) });
  return crumbs;
}

export function parentOf(p: string): string {
  const crumbs = crumbsOf(p);
  return crumbs[crumbs.length - 2]?.path ?? crumbs[0]!.path;
}

/** Why a new name cannot be used in folder `dir`, or null when it can. */
export function nameProblem(name: string, dir: string): string | null {
  if (name.trim() === '') return 'a name is needed';
  if (name === '.' || name === '..') return `${name} is not a name`;
  if (name.includes('/') || (separatorOf(dir) === '\\' && name.includes('\\'))) return 'a name has no slash';
  return null;
}
