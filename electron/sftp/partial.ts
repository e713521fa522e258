// The temporary file every copy is written under: its name beside the destination, errors about it
// reported about the file the user asked for, and its placing (attributes, then the rename over the
// destination) once it is complete. Until then the destination is untouched.
import { WarrenError } from '../../shared/errors.js';
import { fileError, type Files } from './files.js';
import type { Task } from './job.js';

/** `.name.1a2b3c4d.warren-part` beside the destination */
export const tempName = (files: Files, to: string, id: string) =>
  files.join(files.dirname(to), `.${files.basename(to).slice(0, 200)}.${id.slice(0, 8)}.warren-part`);

/** `temp` is a temporary name `tempName` gives beside `to` (a record names it: it is checked, not trusted) */
export function isTempOf(files: Files, temp: string, to: string): boolean {
  const prefix = `.${files.basename(to).slice(0, 200)}.`;
  const name = files.basename(temp);
  return files.dirname(temp) === files.dirname(to) && name.startsWith(prefix) && /^[0-9a-f-]{1,8}\.warren-part$/.test(name.slice(prefix.length));
}

/** An error about the temporary file is reported about the file the user asked for (`where`: " on host"). */
export function aboutTarget(e: unknown, temp: string, to: string, files: Files, where: string): unknown {
  if (!(e instanceof WarrenError) || e.detail?.path !== temp) return e;
  const dir = files.dirname(to);
  switch (e.detail.reason) {
    case 'permission-denied':
      return fileError(
        'permission-denied',
        files.side,
        to,
        `Permission denied${where}: ${to} cannot be written, because the folder ${dir} is not writable (Warren writes a temporary file beside it, then renames it into place).`,
      );
    case 'no-such-file':
      return fileError('no-such-file', files.side, to, `${to} cannot be written: the folder ${dir} does not exist${where}.`);
    default:
      return new WarrenError(e.code, e.message.split(temp).join(to), { ...e.detail, path: to });
  }
}

export const whereOf = (files: Files, label: string) => (files.side === 'remote' ? ` on ${label}` : ' on this computer');

/** The finished temporary file gets its attributes and takes the destination's name. */
export async function place(t: Task, dst: Files): Promise<void> {
  const temp = t.temp!;
  if (t.src.kind !== 'symlink') {
    const mode = t.job.preserve.mode ? t.src.mode & 0o777 : t.keepMode;
    const mtime = t.job.preserve.mtime ? t.src.mtime : undefined;
    if (mode !== undefined || mtime !== undefined) await dst.setattrs(temp, { mode, mtime });
  }
  await dst.replace(temp, t.row.to);
  t.temp = null;
}
