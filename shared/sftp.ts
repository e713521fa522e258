import { z } from 'zod';
import { WireError } from './errors.js';
import { Id, Target } from './model.js';
import { Bytes, call, empty, ok, stream } from './spec.js';

/**
 * The SFTP section of the contract: the remote file browser (`sftp.*`, on the host's shared
 * connection), the same operations on the machine running the main process (`local.*`), the
 * transfer queue (`transfers.*`), and browser-mode uploads/downloads of File API data as binary
 * chunks (`upload.*`, `download.*`). Remote paths are POSIX; relative ones start at the login
 * directory. Local paths are absolute (`local.home` gives the start). Errors carry
 * `detail: { reason, path, side }` (see FailReason).
 */

const Path = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'a path has no NUL character');
const Mode = z.number().int().min(0).max(0o7777);
const remote = <T extends z.ZodRawShape>(shape: T) => z.object({ target: Target, ...shape }).strict();
const local = <T extends z.ZodRawShape>(shape: T) => z.object(shape).strict();

export const EntryKind = z.enum(['file', 'dir', 'symlink', 'other']);
export type EntryKind = z.infer<typeof EntryKind>;

export const Entry = z.object({
  name: z.string(),
  kind: EntryKind,
  size: z.number(),
  /** modification time, epoch ms */
  mtime: z.number(),
  /** permission bits (mode & 0o7777) */
  mode: z.number(),
  /** a symlink's target as stored in the link */
  linkTarget: z.string().optional(),
  /** what a symlink points at; `missing` when it dangles */
  linkKind: z.enum(['file', 'dir', 'other', 'missing']).optional(),
  /**
   * A remote entry whose name, as the server listed it, cannot be one file name on this computer
   * (shared/untrusted.ts): why. It is shown, escaped, but never downloaded, dragged out or opened.
   */
  refused: z.string().optional(),
});
export type Entry = z.infer<typeof Entry>;

/** A directory: its real path (symlinks and `..` resolved) and its entries, unsorted, without `.` and `..`. */
export const Listing = z.object({ path: z.string(), entries: z.array(Entry) });
export type Listing = z.infer<typeof Listing>;

/**
 * Why a file operation failed, for the UI to pick an icon and an action (resume after connection-lost).
 * `refused`: the server gave a name Warren will not write (it would land outside its folder): retrying cannot help.
 */
export const FailReason = z.enum(['permission-denied', 'no-such-file', 'disk-full', 'connection-lost', 'exists', 'not-empty', 'cancelled', 'refused', 'other']);
export type FailReason = z.infer<typeof FailReason>;

export const FileError = z.object({
  /** the file it happened to, on `side` */
  path: z.string(),
  side: z.enum(['local', 'remote']),
  reason: FailReason,
  message: z.string(),
});
export type FileError = z.infer<typeof FileError>;

export const Direction = z.enum(['upload', 'download']);
export type Direction = z.infer<typeof Direction>;

/** What to do when the destination exists: ask (a `conflict` prompt), overwrite, skip, rename (keep both), or overwrite only if the source is newer. */
export const ConflictPolicy = z.enum(['ask', 'overwrite', 'skip', 'rename', 'newer']);
export type ConflictPolicy = z.infer<typeof ConflictPolicy>;
export const ConflictChoice = ConflictPolicy.exclude(['ask']);
export type ConflictChoice = z.infer<typeof ConflictChoice>;

/** The question behind conflict policy `ask`; answered with `{ conflict, applyToAll }` (applyToAll: the rest of that enqueue). */
export const ConflictPrompt = z.object({
  kind: z.literal('conflict'),
  direction: Direction,
  /** the destination that exists */
  path: z.string(),
  source: z.string(),
  existing: z.object({ kind: EntryKind, size: z.number(), mtime: z.number() }),
  incoming: z.object({ size: z.number(), mtime: z.number() }),
});
export const ConflictAnswer = z.object({ conflict: ConflictChoice, applyToAll: z.boolean() });

export const Preserve = z.object({ mtime: z.boolean(), mode: z.boolean() });

export const TransferState = z.enum(['queued', 'running', 'paused', 'done', 'skipped', 'failed', 'cancelled']);
export type TransferState = z.infer<typeof TransferState>;

const Progress = {
  bytes: z.number(),
  /** bytes per second, smoothed over the last seconds */
  rate: z.number(),
  /** seconds left at the current rate; null when unknown */
  eta: z.number().nullable(),
};

/** One file (or symlink) of a transfer job. */
export const TransferFile = z.object({
  id: Id,
  jobId: Id,
  from: z.string(),
  /** where it lands (after a rename by conflict policy `rename`) */
  to: z.string(),
  size: z.number(),
  ...Progress,
  state: TransferState,
  error: FileError.nullable(),
  /** a partial copy is kept: `transfers.resume` continues from it */
  resumable: z.boolean(),
  /** a large file on a long link is copied in this many parts at once, each on its own SFTP channel (1: one stream) */
  parts: z.number(),
});
export type TransferFile = z.infer<typeof TransferFile>;

/** One enqueued item: a file, or a folder with everything in it. */
export const TransferJob = z.object({
  id: Id,
  direction: Direction,
  /** the host, as the connection list names it */
  host: z.string(),
  from: z.string(),
  to: z.string(),
  kind: z.enum(['file', 'dir']),
  state: TransferState,
  /** a folder is still being walked: `files` and `total` grow */
  scanning: z.boolean(),
  files: z.number(),
  filesDone: z.number(),
  total: z.number(),
  ...Progress,
  /** the first error (a folder's other files go on) */
  error: FileError.nullable(),
  /** paused by a lost connection: when Warren next tries to reconnect and resume by itself (null: it does not) */
  retryAt: z.number().nullable(),
  createdAt: z.number(),
});
export type TransferJob = z.infer<typeof TransferJob>;

export const TransferTotals = z.object({ total: z.number(), ...Progress, running: z.number(), queued: z.number() });
export type TransferTotals = z.infer<typeof TransferTotals>;

/** The first event holds everything (`reset`); later ones only what changed, at most a few per second. */
export const TransfersEvent = z.object({
  reset: z.boolean(),
  jobs: z.array(TransferJob),
  files: z.array(TransferFile),
  /** jobs and files dropped by `transfers.clear` */
  removed: z.array(Id),
  total: TransferTotals,
});
export type TransfersEvent = z.infer<typeof TransfersEvent>;

/** the largest `upload.chunk` */
export const MAX_CHUNK = 1 << 20;

const Home = z.object({ path: z.string() });
const Rename = { from: Path, to: Path };
const Delete = { path: Path, recursive: z.boolean().default(false) };
const AbsolutePath = Path.refine((p) => p.startsWith('/'), 'an absolute remote path (it starts with /)');

export const sftpCalls = {
  // The browser, on the remote host (`sftp.*`) and on this machine (`local.*`):
  // home: the login directory / the user's home. list: a directory. stat: one entry, a symlink not
  // followed (its linkTarget and linkKind say where it points). rename: fails with reason `exists` when
  // `to` exists. delete: a non-empty folder only with `recursive`; a symlink is removed, never followed.
  'sftp.home': call(remote({}), Home),
  'sftp.list': call(remote({ path: Path }), Listing),
  'sftp.stat': call(remote({ path: Path }), Entry),
  'sftp.mkdir': call(remote({ path: Path }), ok),
  'sftp.rename': call(remote(Rename), ok),
  'sftp.delete': call(remote(Delete), ok),
  'sftp.chmod': call(remote({ path: Path, mode: Mode }), ok),
  'local.home': call(local({}), Home),
  'local.list': call(local({ path: Path }), Listing),
  'local.stat': call(local({ path: Path }), Entry),
  'local.mkdir': call(local({ path: Path }), ok),
  'local.rename': call(local(Rename), ok),
  'local.delete': call(local(Delete), ok),
  'local.chmod': call(local({ path: Path, mode: Mode }), ok),
  /**
   * Desktop app only: dragging remote files and folders out to the OS file manager. Downloads `paths`
   * (folders recursively; symlinks to files copied as files, symlinks to folders left out) into a fresh
   * private temporary folder, then starts the OS drag of those copies (Electron's startDrag). Returns
   * once the drag has started: the drag waits for the download. Elsewhere (browser mode, the CLI) it
   * fails with BAD_REQUEST, `detail.reason: 'desktop-only'`: there a remote file is a browser download.
   */
  'sftp.dragOut': call(remote({ paths: z.array(AbsolutePath).min(1).max(1000) }), z.object({ files: z.array(z.string()), bytes: z.number() })),

  /**
   * Queues files and folders (recursively): `to` is each item's full destination path. Returns one
   * job id per item, in order. Uploads and downloads land under a temporary name and are renamed into
   * place when complete; a top-level symlink is followed, symlinks inside a folder are copied as links.
   */
  'transfers.enqueue': call(
    z
      .object({
        direction: Direction,
        target: Target,
        items: z
          .array(z.object({ from: Path, to: Path }).strict())
          .min(1)
          .max(10_000),
        conflict: ConflictPolicy.default('ask'),
        preserve: Preserve.default({ mtime: true, mode: false }),
      })
      .strict(),
    z.object({ ids: z.array(Id) }),
  ),
  /** cancels a job or one file (`id`), or everything unfinished (no id); partial copies are removed */
  'transfers.cancel': call(z.object({ id: Id.optional() }).strict(), ok),
  /** starts failed or cancelled files again from the beginning (of a job, one file, or all) */
  'transfers.retry': call(z.object({ id: Id.optional() }).strict(), ok),
  /** continues paused (interrupted) files from where they stopped (of a job, one file, or all) */
  'transfers.resume': call(z.object({ id: Id.optional() }).strict(), ok),
  /** forgets finished jobs (done, skipped, failed, cancelled) */
  'transfers.clear': call(empty, ok),

  /**
   * Browser mode, File API → remote `path`: begin (conflict policy applies, missing parent folders are
   * made), then chunks in order (each call returns once written; keep a few in flight), then end, which
   * renames the file into place. Shows in the queue (`jobId` groups a folder drop); `transfers.cancel`
   * stops it; one idle for two minutes fails. `skipped` (conflict policy) means: send nothing.
   */
  'upload.begin': call(
    remote({ path: Path, size: z.number().int().min(0), mtime: z.number().optional(), conflict: ConflictPolicy.default('ask'), jobId: Id.optional() }),
    z.object({ id: Id, jobId: Id, path: z.string(), skipped: z.boolean() }),
  ),
  'upload.chunk': call(
    z.object({ id: Id, offset: z.number().int().min(0), data: Bytes.refine((d) => d.byteLength <= MAX_CHUNK, 'at most 1 MiB a chunk') }).strict(),
    ok,
  ),
  'upload.end': call(z.object({ id: Id }).strict(), ok),
  /**
   * Browser mode, remote `path` → the browser's downloads: checks the file (a regular file, a name a
   * browser may save) and answers a link, `/download/<ticket>`, that browser mode's server serves as a
   * normal HTTP download (Content-Length, Range), so the browser writes it to disk as it arrives. It shows
   * in the queue, where it can be cancelled; the link is good for 10 minutes after its last use.
   */
  'download.link': call(remote({ path: Path }), z.object({ href: z.string() })),
} as const;

/** A file pane's SFTP session: open; lost (Warren reconnects at `retryAt`); or failed for good (authentication, host key…). */
export const SessionEvent = z.discriminatedUnion('state', [
  z.object({ state: z.literal('open') }),
  z.object({ state: z.literal('lost'), error: WireError, attempt: z.number(), retryAt: z.number() }),
  z.object({ state: z.literal('failed'), error: WireError }),
]);
export type SessionEvent = z.infer<typeof SessionEvent>;

export const sftpStreams = {
  /**
   * Keeps the host's SFTP session open while a pane shows it, and says when it is lost and back:
   * after a loss Warren reconnects with backoff by itself (`app.wake` tries at once); the pane lists again on `open`.
   */
  'sftp.watch': stream(remote({}), SessionEvent),
  /** the transfer queue: everything on subscribe, then changes, at most four events a second */
  'transfers.watch': stream(empty, TransfersEvent),
} as const;
