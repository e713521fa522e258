import type { RpcClient } from '../../../shared/client.js';
import type { Target } from '../../../shared/model.js';
import type { ConflictPolicy } from '../../../shared/sftp.js';
import { joinPath } from './paths.js';

/** 512 KiB a chunk (the contract takes up to 1 MiB), four in flight: the link stays busy while each is written */
const CHUNK = 512 << 10;
const CHUNKS_IN_FLIGHT = 4;
const FILES_AT_ONCE = 3;

/** A file dropped from the OS, and where it goes below the drop's folder (`sub/dir/name`). */
interface Dropped {
  file: File;
  path: string;
}

const entryFile = (e: FileSystemFileEntry) => new Promise<File>((resolve, reject) => e.file(resolve, reject));

async function walk(dir: FileSystemDirectoryEntry, prefix: string): Promise<Dropped[]> {
  const reader = dir.createReader();
  const out: Dropped[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return out;
    for (const e of batch) {
      const path = `${prefix}/${e.name}`;
      if (e.isDirectory) out.push(...(await walk(e as FileSystemDirectoryEntry, path)));
      else out.push({ file: await entryFile(e as FileSystemFileEntry), path });
    }
  }
}

/** The files of a drop, folders walked. The drop's items are read at once: they expire when its event ends. */
function droppedFiles(data: DataTransfer): Promise<Dropped[]> {
  const items = [...data.items].filter((i) => i.kind === 'file').map((i) => ({ entry: i.webkitGetAsEntry(), file: i.getAsFile() }));
  return Promise.all(
    items.map(({ entry, file }) => (entry?.isDirectory ? walk(entry as FileSystemDirectoryEntry, entry.name) : file ? [{ file, path: file.name }] : [])),
  ).then((lists) => lists.flat());
}

/** A file's bytes in order, a few chunks in flight, then `upload.end` renames it into place. */
async function send(client: RpcClient, id: string, file: File): Promise<void> {
  const inFlight: Promise<unknown>[] = [];
  for (let at = 0; at < file.size; at += CHUNK) {
    const data = new Uint8Array(await file.slice(at, at + CHUNK).arrayBuffer());
    const sent = client.call('upload.chunk', { id, offset: at, data });
    sent.catch(() => {}); // awaited below, in order; this only keeps an early failure from going unhandled
    inFlight.push(sent);
    if (inFlight.length >= CHUNKS_IN_FLIGHT) await inFlight.shift();
  }
  await Promise.all(inFlight);
  await client.call('upload.end', { id });
}

/**
 * Uploads what was dropped from the OS into remote folder `dir`, through the File API (browser mode,
 * and the desktop app for a file without a local path; see desktopDrag.ts). One drop is one job in the queue, so
 * a conflict answered "apply to all" covers the whole drop. A failed file shows in the queue; only a
 * failure to begin (no room for a name, a refused conflict) rejects, with the first such error.
 */
export function uploadDropped(client: RpcClient, target: Target, dir: string, data: DataTransfer, conflict: ConflictPolicy): Promise<void> {
  return droppedFiles(data).then(async ([first, ...rest]) => {
    if (!first) return;
    let jobId: string | undefined;
    const errors: unknown[] = [];
    const failed = (e: unknown) => void errors.push(e);
    /** begins one file's upload; resolves to what sends its bytes (none when the conflict policy skips it) */
    const begin = async (d: Dropped) => {
      const started = await client.call('upload.begin', {
        target,
        path: joinPath(dir, d.path),
        size: d.file.size,
        mtime: d.file.lastModified,
        conflict,
        ...(jobId && { jobId }),
      });
      jobId ??= started.jobId;
      // a file that fails while sending shows in the queue with why
      return started.skipped ? null : () => send(client, started.id, d.file).catch(() => {});
    };
    // the first file makes the job the others join
    const sendFirst = await begin(first).catch(failed);
    const tasks = [...(sendFirst ? [sendFirst] : []), ...rest.map((d) => () => begin(d).then((go) => go?.(), failed))];
    const queue = tasks.values();
    const worker = async () => {
      for (const task of queue) await task();
    };
    await Promise.all(Array.from({ length: FILES_AT_ONCE }, worker));
    if (errors.length > 0) throw errors[0];
  });
}
