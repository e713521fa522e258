import { HardDrive, Server } from 'lucide-react';
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import type { Direction, Entry } from '../../../shared/sftp.js';
import { visible } from '../../../shared/untrusted.js';
import { useClient } from '../../lib/client.js';
import { asWarrenError } from '../../lib/errors.js';
import { useFeedback } from '../../lib/feedback.js';
import { downloadToBrowser } from './browserDownload.js';
import { uploadDropped } from './browserUpload.js';
import { armDragOut, droppedPaths, isLargeDrag } from './desktopDrag.js';
import type { FileSession } from './fileSessions.js';
import { dragType, Pane, type DraggedEntries, type DropTarget } from './Pane.js';
import { joinPath } from './paths.js';
import { localSide, remoteSide } from './sides.js';
import { countLanded, type Transfers } from './transfersState.js';
import type { TransferOptions } from './TransferQueue.js';
import { usePane, type PaneModel } from './usePane.js';

const LOCAL_DRAG = dragType('local');
const REMOTE_DRAG = dragType('remote');
/** what the browser calls files dragged in from the OS */
const OS_FILES = 'Files';

/** Lists a pane's folder again when a transfer lands a file under it (at most a few times a second). */
function useRefreshOnLanded(transfers: Transfers, direction: Direction, pane: PaneModel): void {
  const dir = pane.listing?.path;
  const landed = useMemo(() => (dir === undefined ? 0 : countLanded(transfers, direction, dir)), [transfers, direction, dir]);
  const refresh = useRef(pane.refresh);
  useLayoutEffect(() => {
    refresh.current = pane.refresh;
  });
  const seen = useRef({ dir, landed });
  useEffect(() => {
    const before = seen.current;
    seen.current = { dir, landed };
    if (before.dir !== dir || landed <= before.landed) return;
    const timer = setTimeout(() => void refresh.current(), 150);
    return () => clearTimeout(timer);
  }, [dir, landed]);
}

interface DualPaneProps {
  session: FileSession;
  hidden: boolean;
  options: TransferOptions;
  transfers: Transfers;
}

/** This machine on the left, the host on the right; drag between them (or from the OS onto the host) to transfer. */
export function DualPane({ session, hidden, options, transfers }: DualPaneProps) {
  const client = useClient();
  const { reportError, notify } = useFeedback();
  const { target } = session;
  const local = usePane(useMemo(() => localSide(client), [client]));
  const remote = usePane(
    useMemo(() => remoteSide(client, target), [client, target]),
    session.start,
  );
  useRefreshOnLanded(transfers, 'upload', remote);
  useRefreshOnLanded(transfers, 'download', local);
  /** a cancelled transfer is no news: the queue shows it */
  const report = (e: unknown) => asWarrenError(e).code !== 'CANCELLED' && reportError(e);

  const enqueueItems = (direction: Direction, items: { from: string; to: string }[]) =>
    void client
      .call('transfers.enqueue', { direction, target, items, conflict: options.conflict, preserve: { mtime: options.preserve, mode: false } })
      .catch(report);
  const enqueue = (direction: Direction, fromDir: string, names: string[], toDir: string) =>
    enqueueItems(
      direction,
      names.map((name) => ({ from: joinPath(fromDir, name), to: joinPath(toDir, name) })),
    );
  const dragged = (data: DataTransfer, type: string) => JSON.parse(data.getData(type)) as DraggedEntries;
  const toRemote: DropTarget = {
    accepts: (types) => types.includes(LOCAL_DRAG) || types.includes(OS_FILES),
    drop: (data, dir) => {
      if (data.types.includes(LOCAL_DRAG)) {
        const d = dragged(data, LOCAL_DRAG);
        return enqueue('upload', d.dir, d.names, dir);
      }
      // from the OS: in the desktop app by their local paths, a normal upload (folders walked by the queue);
      // in browser mode (or for a file with no path) the File API streams the bytes
      const paths = droppedPaths(data);
      if (paths)
        return enqueueItems(
          'upload',
          paths.map((p) => ({ from: p.path, to: joinPath(dir, p.name) })),
        );
      void uploadDropped(client, target, dir, data, options.conflict).catch(report);
    },
  };
  const toLocal: DropTarget = {
    accepts: (types) => types.includes(REMOTE_DRAG),
    drop: (data, dir) => {
      const d = dragged(data, REMOTE_DRAG);
      enqueue('download', d.dir, d.names, dir);
    },
  };
  /** desktop app: remote entries dragged out of the window to the file manager, downloaded first */
  const dragOut = (dir: string, entries: Entry[]) =>
    armDragOut(entries, REMOTE_DRAG, () => {
      const what = entries.length === 1 ? visible(entries[0]!.name) : `${entries.length} items`;
      if (isLargeDrag(entries)) notify(`Downloading ${what} first: the drag to your file manager starts when the download is done.`);
      client.call('sftp.dragOut', { target, paths: entries.map((e) => joinPath(dir, e.name)) }).catch(report);
    });
  const desktop = window.warrenDesktop?.desktop === true;
  /** the row's transfer button: into the other pane's folder */
  const send = (direction: Direction, to: PaneModel) => (dir: string, entries: Entry[]) => {
    if (to.listing)
      enqueue(
        direction,
        dir,
        entries.map((e) => e.name),
        to.listing.path,
      );
  };

  return (
    <div className="sftp" data-testid="sftp" data-host={session.title} hidden={hidden}>
      <Pane
        pane={local}
        testId="pane-local"
        title={
          <span title="The machine running Warren">
            <HardDrive size={13} /> Local
          </span>
        }
        otherDir={remote.listing?.path ?? null}
        onTransfer={send('upload', remote)}
        onDownload={null}
        drop={toLocal}
      />
      <Pane
        pane={remote}
        testId="pane-remote"
        title={
          <span
            title={desktop ? `${session.title}. Drag files out to your file manager: they are downloaded first, so large ones take a moment.` : session.title}
          >
            <Server size={13} /> {session.title}
          </span>
        }
        otherDir={local.listing?.path ?? null}
        onTransfer={send('download', local)}
        onDownload={desktop ? null : (path) => void downloadToBrowser(client, target, path).catch(report)}
        onDragOut={desktop ? dragOut : null}
        drop={toRemote}
      />
    </div>
  );
}
