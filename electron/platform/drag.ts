import { nativeImage, type NativeImage, type WebContents } from 'electron';
import { WarrenError } from '../../shared/errors.js';

/** A 16 px page: what the pointer carries while files are dragged out (macOS wants an image that is not empty). */
const ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAANklEQVR42mNgoCbomrzsPz5MlAFfvv3CimFyZBsAMwSvSwgZADOE9gbgCsRRF4wcFxCDqZqDAR/8yOi8ahy5AAAAAElFTkSuQmCC';
let icon: NativeImage | undefined;

/**
 * Starts the OS drag of local files and folders out of a window (Electron's webContents.startDrag),
 * for `sftp.dragOut`: the services downloaded them to a private temporary folder first.
 */
export function startDrag(contents: WebContents | undefined, files: string[]): void {
  if (!contents || contents.isDestroyed()) throw new WarrenError('CANCELLED', 'The window the drag started in is gone.');
  if (files.length === 0) return;
  icon ??= nativeImage.createFromDataURL(ICON);
  contents.startDrag({ file: files[0]!, files, icon });
}
