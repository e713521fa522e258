import type { Entry } from '../../../shared/sftp.js';

// The two drag paths only the desktop app has: files dropped from the OS arrive as local paths (the
// preload's pathForFile), and remote entries dragged out of the window land in the OS file manager
// (`sftp.dragOut`: downloaded to a temporary folder, then Electron's startDrag). In browser mode
// neither exists: drops stream through the File API (browserUpload.ts), downloads go to the browser.

/** A file or folder dropped from the OS, by its local path. */
export interface DroppedPath {
  path: string;
  name: string;
}

/**
 * The local paths of what was dropped from the OS, in the desktop app; null in browser mode, or when
 * any dropped item has no path (then the File API streams it). Read during the drop event: its
 * DataTransfer empties when the event ends.
 */
export function droppedPaths(data: DataTransfer): DroppedPath[] | null {
  const pathForFile = window.warrenDesktop?.pathForFile;
  const files = [...data.files];
  if (!pathForFile || files.length === 0) return null;
  const out: DroppedPath[] = [];
  for (const file of files) {
    let path = '';
    try {
      path = pathForFile(file);
    } catch {
      return null;
    }
    if (!path) return null;
    out.push({ path, name: file.name });
  }
  return out;
}

/** Selections of only files, this small at most, are downloaded as the drag starts: ready before the pointer is out of the window. */
const EAGER_BYTES = 8 << 20;

/** whether a drag out of these entries waits for the pointer to leave the window (and takes a while to be ready) */
export const isLargeDrag = (entries: Entry[]) => !entries.every((e) => e.kind === 'file') || entries.reduce((n, e) => n + e.size, 0) > EAGER_BYTES;

let disarm: (() => void) | null = null;

/**
 * Desktop app, a drag of remote entries begins (`type`: the in-app drag's type, which it keeps, so a drop
 * on the local pane still queues a download). `start` (which calls `sftp.dragOut`) runs at once for a
 * few small files; for folders and large files only once the drag leaves the window, so a drag between
 * the panes does not download everything twice. The OS drag starts when the download is done.
 */
export function armDragOut(entries: Entry[], type: string, start: () => void): void {
  disarm?.();
  if (!isLargeDrag(entries)) return start();
  const outside = (e: DragEvent) =>
    e.relatedTarget === null && (e.clientX <= 0 || e.clientY <= 0 || e.clientX >= window.innerWidth || e.clientY >= window.innerHeight);
  const onLeave = (e: DragEvent) => {
    if (!outside(e) || !e.dataTransfer?.types.includes(type)) return;
    stop();
    start();
  };
  const stop = () => {
    document.removeEventListener('dragleave', onLeave);
    document.removeEventListener('dragend', stop, true);
    document.removeEventListener('drop', stop, true);
    if (disarm === stop) disarm = null;
  };
  document.addEventListener('dragleave', onLeave);
  document.addEventListener('dragend', stop, true);
  document.addEventListener('drop', stop, true);
  disarm = stop;
}
