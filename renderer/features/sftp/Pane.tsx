import { ArrowLeft, ArrowRight, LoaderCircle, RotateCw, TriangleAlert, WifiOff } from 'lucide-react';
import { useMemo, useState, type DragEvent, type KeyboardEvent, type ReactNode } from 'react';
import { layerOf, type WarrenError } from '../../../shared/errors.js';
import type { Target } from '../../../shared/model.js';
import type { Entry } from '../../../shared/sftp.js';
import { useCopy } from '../../lib/useCopy.js';
import { useCountdown } from '../../lib/useCountdown.js';
import { ReplaceHostKeyButton } from '../terminal/ReplaceHostKey.js';
import { formatSeconds } from '../tunnels/format.js';
import { arrange, isDirLike, isHidden, type Sort } from './entries.js';
import type { EntryActions } from './EntryRow.js';
import { FileTable } from './FileTable.js';
import { PaneDialogs, type PaneDialog } from './PaneDialogs.js';
import { PaneToolbar } from './PaneToolbar.js';
import { joinPath, parentOf } from './paths.js';
import { useSelection } from './selection.js';
import type { Side } from './sides.js';
import type { PaneModel } from './usePane.js';

/** Where a drag may land, and what landing does (`dir`: the pane's folder, or the folder row under the pointer). */
export interface DropTarget {
  accepts(types: readonly string[]): boolean;
  drop(data: DataTransfer, dir: string): void;
}

/** Entries dragged out of a pane travel under a type that names their side. */
export const dragType = (kind: Side['kind']) => `application/x-warren-${kind}`;
export interface DraggedEntries {
  dir: string;
  names: string[];
}

interface PaneProps {
  pane: PaneModel;
  testId: string;
  title: ReactNode;
  /** the other pane's folder, where "transfer" sends entries; null while it has none */
  otherDir: string | null;
  onTransfer(dir: string, entries: Entry[]): void;
  /** browser mode, remote pane: save a file through the browser */
  onDownload: ((path: string) => void) | null;
  /** desktop app, remote pane: entries dragged from here may be dropped in the OS file manager */
  onDragOut?: ((dir: string, entries: Entry[]) => void) | null;
  drop: DropTarget;
}

/** One side of the browser: toolbar, sortable windowed listing, per-entry actions, drag and drop. */
export function Pane({ pane, testId, title, otherDir, onTransfer, onDownload, onDragOut, drop }: PaneProps) {
  const copy = useCopy();
  const [sort, setSort] = useState<Sort>({ key: 'name', desc: false });
  const [showHidden, setShowHidden] = useState(false);
  const [dialog, setDialog] = useState<PaneDialog | null>(null);
  /** a drag is over the pane (''), or over one of its folders (its name) */
  const [over, setOver] = useState<string | null>(null);
  const { listing, side } = pane;
  const dir = listing?.path;
  const entries = useMemo(() => (listing ? arrange(listing.entries, sort, showHidden) : []), [listing, sort, showHidden]);
  const sel = useSelection(entries, dir);
  const targets = (entry: Entry) => (sel.selected.has(entry.name) ? sel.chosen : [entry]);
  /** what a transfer or drag takes: never an entry whose name the server gave could not be a file here */
  const movable = (entry: Entry) => targets(entry).filter((x) => x.refused === undefined);
  const pathOf = (entry: Entry) => joinPath(dir!, entry.name);

  const actions: EntryActions = {
    open: (entry) => void (isDirLike(entry) && entry.refused === undefined && pane.go(pathOf(entry))),
    select: sel.click,
    dragStart: (entry, e) => {
      const moved = movable(entry);
      if (moved.length === 0) return e.preventDefault();
      const dragged: DraggedEntries = { dir: dir!, names: moved.map((x) => x.name) };
      e.dataTransfer.setData(dragType(side.kind), JSON.stringify(dragged));
      e.dataTransfer.effectAllowed = 'copy';
      onDragOut?.(dir!, moved);
    },
    transferTitle: otherDir && `${side.kind === 'local' ? 'Upload' : 'Download'} to ${otherDir}`,
    transferIcon: side.kind === 'local' ? ArrowRight : ArrowLeft,
    transfer: (entry) => onTransfer(dir!, movable(entry)),
    download: onDownload && ((entry) => onDownload(pathOf(entry))),
    rename: (entry) => setDialog({ kind: 'rename', entry }),
    chmod: (entry) => setDialog({ kind: 'chmod', entry }),
    copyPath: (entry) => void copy(pathOf(entry)),
    remove: (entry) => setDialog({ kind: 'delete', entries: targets(entry) }),
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (sel.key(e)) return;
    const current = entries.find((x) => x.name === sel.cursor);
    const keys: Record<string, () => void> = {
      Enter: () => current && actions.open(current),
      Backspace: () => dir && void pane.go(parentOf(dir)),
      Delete: () => sel.chosen.length > 0 && setDialog({ kind: 'delete', entries: sel.chosen }),
      F2: () => current && actions.rename(current),
    };
    const act = keys[e.key];
    if (!act) return;
    e.preventDefault();
    act();
  };

  /** the folder row under a drag, or '' for the pane's own folder */
  const rowUnder = (e: DragEvent) => {
    const name = (e.target as Element).closest<HTMLElement>('[data-testid=entry]')?.dataset.name;
    const entry = name === undefined ? undefined : entries.find((x) => x.name === name);
    return entry && isDirLike(entry) ? entry.name : '';
  };
  const dragHandlers = {
    onDragOver: (e: DragEvent) => {
      if (!dir || !drop.accepts(e.dataTransfer.types)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      setOver(rowUnder(e));
    },
    onDragLeave: (e: DragEvent) => {
      if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(null);
    },
    onDrop: (e: DragEvent) => {
      setOver(null);
      if (!dir || !drop.accepts(e.dataTransfer.types)) return;
      e.preventDefault();
      const row = rowUnder(e);
      drop.drop(e.dataTransfer, row ? joinPath(dir, row) : dir);
    },
  };

  const hidden = listing && !showHidden ? listing.entries.filter(isHidden).length : 0;
  const summary = [
    `${entries.length.toLocaleString()} ${entries.length === 1 ? 'item' : 'items'}`,
    hidden > 0 && `${hidden} hidden`,
    sel.chosen.length > 0 && `${sel.chosen.length} selected`,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <section className={over === '' ? 'pane drop-over' : 'pane'} data-testid={testId} data-path={dir} aria-busy={pane.loading} {...dragHandlers}>
      <PaneToolbar
        pane={pane}
        title={title}
        showHidden={showHidden}
        onToggleHidden={() => setShowHidden((s) => !s)}
        onNewFolder={() => setDialog({ kind: 'mkdir' })}
        summary={listing ? summary : ''}
      />
      {listing && pane.offline && <OfflineBar offline={pane.offline} onNow={pane.reconnect} />}
      {listing ? (
        <FileTable
          key={listing.path}
          entries={entries}
          sort={sort}
          onSort={setSort}
          selected={sel.selected}
          cursor={sel.cursor}
          dropOver={over || null}
          actions={actions}
          onKeyDown={onKeyDown}
          empty={hidden > 0 ? 'Only hidden files here.' : 'This folder is empty.'}
        />
      ) : pane.error ? (
        <PaneError error={pane.error} target={side.target} onRetry={() => void pane.go(null)} />
      ) : (
        <div className="pane-status">
          <LoaderCircle size={16} className="spin" /> {side.kind === 'remote' ? 'Connecting…' : 'Loading…'}
        </div>
      )}
      {dialog && dir && (
        <PaneDialogs
          dialog={dialog}
          pane={pane}
          dir={dir}
          onClose={() => setDialog(null)}
          onChanged={(name) => void pane.refresh().then((ok) => ok && name !== null && sel.only(name))}
        />
      )}
    </section>
  );
}

/** The session was lost under a listing: why, and when Warren reconnects (then the folder is listed again). */
function OfflineBar({ offline, onNow }: { offline: NonNullable<PaneModel['offline']>; onNow(): void }) {
  const seconds = useCountdown(offline.retryAt);
  const when = seconds === null ? 'Warren stopped trying.' : seconds > 0 ? `Reconnecting in ${formatSeconds(seconds)}…` : 'Reconnecting…';
  return (
    <div className="pane-offline" role="status" data-testid="pane-offline" title={offline.error.message}>
      <WifiOff size={14} />
      <span>
        <strong>Offline.</strong> {when} {offline.error.message}
      </span>
      <button type="button" data-testid="pane-reconnect" onClick={onNow}>
        <RotateCw size={14} /> Reconnect now
      </button>
    </div>
  );
}

/** The first listing failed: the host could not be reached, SFTP refused, … */
function PaneError({ error, target, onRetry }: { error: WarrenError; target: Target | null; onRetry(): void }) {
  const hop = typeof error.detail?.hop === 'string' ? error.detail.hop : null;
  return (
    <div className="pane-error" role="alert" data-testid="pane-error" data-code={error.code}>
      <h3>
        <TriangleAlert size={16} /> {layerOf[error.code]}
      </h3>
      <p>{error.message}</p>
      <div className="pane-error-actions">
        <button type="button" className="primary" data-testid="retry" onClick={onRetry}>
          <RotateCw size={14} /> Retry
        </button>
        {error.code === 'HOST_KEY_CHANGED' && target && <ReplaceHostKeyButton testId="pane-replace-hostkey" target={target} hop={hop} onReplaced={onRetry} />}
      </div>
    </div>
  );
}
