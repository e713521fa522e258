import {
  Copy,
  Download,
  File,
  FileQuestion,
  FileSymlink,
  FileX,
  Folder,
  FolderSymlink,
  Lock,
  Pencil,
  ShieldAlert,
  Trash2,
  type LucideIcon,
} from 'lucide-react';
import type { DragEvent, MouseEvent, ReactNode } from 'react';
import type { Entry } from '../../../shared/sftp.js';
import { visible } from '../../../shared/untrusted.js';
import { formatBytes } from '../tunnels/format.js';
import { formatDate, formatShortDate, modeString } from './entries.js';

/** What a row's buttons and gestures do; `transfer` and `remove` act on the selection when the row is in it. */
export interface EntryActions {
  open(entry: Entry): void;
  select(entry: Entry, e: MouseEvent): void;
  dragStart(entry: Entry, e: DragEvent): void;
  /** "Upload to …" / "Download to …"; null while the other pane has no folder */
  transferTitle: string | null;
  transferIcon: LucideIcon;
  transfer(entry: Entry): void;
  /** browser mode: save a remote file through the browser */
  download: ((entry: Entry) => void) | null;
  rename(entry: Entry): void;
  chmod(entry: Entry): void;
  copyPath(entry: Entry): void;
  remove(entry: Entry): void;
}

function iconOf(e: Entry): LucideIcon {
  if (e.kind === 'dir') return Folder;
  if (e.kind === 'file') return File;
  if (e.kind === 'other') return FileQuestion;
  return e.linkKind === 'dir' ? FolderSymlink : e.linkKind === 'missing' ? FileX : FileSymlink;
}

/** Names and link targets are shown with their control characters and direction marks made visible. */
function titleOf(e: Entry): string {
  if (e.refused !== undefined) return `${visible(e.name)}: not downloadable, because ${e.refused}`;
  if (e.kind !== 'symlink') return visible(e.name);
  return `${visible(e.name)} → ${visible(e.linkTarget ?? '?')}${e.linkKind === 'missing' ? ' (missing)' : ''}`;
}

interface EntryRowProps {
  entry: Entry;
  selected: boolean;
  cursor: boolean;
  dropOver: boolean;
  actions: EntryActions;
}

export function EntryRow({ entry, selected, cursor, dropOver, actions }: EntryRowProps) {
  const Icon = iconOf(entry);
  const classes = [
    'entry',
    `entry-${entry.kind}`,
    entry.refused !== undefined && 'entry-refused',
    selected && 'selected',
    cursor && 'cursor',
    dropOver && 'drop-over',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div
      className={classes}
      data-testid="entry"
      data-name={entry.name}
      data-kind={entry.kind}
      data-size={entry.size}
      role="option"
      aria-selected={selected}
      data-refused={entry.refused}
      draggable={entry.refused === undefined}
      onClick={(e) => actions.select(entry, e)}
      onDoubleClick={() => actions.open(entry)}
      onDragStart={(e) => actions.dragStart(entry, e)}
    >
      <span className="entry-name" title={titleOf(entry)}>
        <Icon size={15} className={`entry-icon entry-icon-${entry.kind}`} />
        <span className="entry-name-text" data-testid="entry-name">
          {visible(entry.name)}
        </span>
        {entry.refused !== undefined && <ShieldAlert size={14} color="var(--warn)" aria-label="not downloadable" />}
      </span>
      <span className="entry-size">{entry.kind === 'file' ? formatBytes(entry.size) : ''}</span>
      <span className="entry-date" title={formatDate(entry.mtime)}>
        <span className="date-long">{formatDate(entry.mtime)}</span>
        <span className="date-short">{formatShortDate(entry.mtime)}</span>
      </span>
      <span className="entry-mode">{modeString(entry.kind, entry.mode)}</span>
      <EntryButtons entry={entry} actions={actions} />
    </div>
  );
}

function EntryButtons({ entry, actions }: { entry: Entry; actions: EntryActions }) {
  const Transfer = actions.transferIcon;
  // a name the server gave that cannot be a file here: never transferred (shared/sftp.ts Entry.refused)
  const movable = entry.refused === undefined;
  return (
    <span className="entry-actions" onClick={(e) => e.stopPropagation()} onDoubleClick={(e) => e.stopPropagation()}>
      {movable && actions.transferTitle && (
        <EntryButton testId="entry-transfer" title={actions.transferTitle} onClick={() => actions.transfer(entry)}>
          <Transfer size={14} />
        </EntryButton>
      )}
      {movable && actions.download && entry.kind !== 'dir' && (
        <EntryButton testId="entry-download" title="Download to this browser" onClick={() => actions.download?.(entry)}>
          <Download size={14} />
        </EntryButton>
      )}
      <EntryButton testId="entry-rename" title="Rename (F2)" onClick={() => actions.rename(entry)}>
        <Pencil size={14} />
      </EntryButton>
      <EntryButton testId="entry-chmod" title="Permissions" onClick={() => actions.chmod(entry)}>
        <Lock size={14} />
      </EntryButton>
      <EntryButton testId="entry-copy-path" title="Copy path" onClick={() => actions.copyPath(entry)}>
        <Copy size={14} />
      </EntryButton>
      <EntryButton testId="entry-delete" title="Delete (Del)" onClick={() => actions.remove(entry)}>
        <Trash2 size={14} />
      </EntryButton>
    </span>
  );
}

function EntryButton({ testId, title, onClick, children }: { testId: string; title: string; onClick(): void; children: ReactNode }) {
  return (
    <button type="button" className="icon-button" data-testid={testId} title={title} aria-label={title} onClick={onClick}>
      {children}
    </button>
  );
}
