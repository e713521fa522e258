import type { RpcClient } from '../../../shared/client.js';
import { WarrenError } from '../../../shared/errors.js';
import type { Target } from '../../../shared/model.js';

/** acknowledge every MiB taken (the server pauses with 8 MiB unacknowledged) */
const ACK_EVERY = 1 << 20;

function save(parts: Uint8Array<ArrayBuffer>[], name: string): void {
  const url = URL.createObjectURL(new Blob(parts));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Browser mode: a remote file into the browser's downloads. Its bytes come over `download.file`
 * (it shows in the transfer queue, where it can be cancelled), collect into a Blob, and an
 * `<a download>` hands that to the browser.
 */
export function downloadToBrowser(client: RpcClient, target: Target, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const parts: Uint8Array<ArrayBuffer>[] = [];
    let file: { id: string; name: string } | null = null;
    let unacked = 0;
    client.subscribe(
      'download.file',
      { target, path },
      {
        onEvent: (e) => {
          if (e.type === 'start') {
            file = e;
            return;
          }
          parts.push(e.data as Uint8Array<ArrayBuffer>);
          unacked += e.data.byteLength;
          if (file && unacked >= ACK_EVERY) {
            void client.call('download.ack', { id: file.id, bytes: unacked }).catch(() => {}); // fails only once the download is over
            unacked = 0;
          }
        },
        onEnd: (error) => {
          if (error) return reject(error);
          if (!file) return reject(new WarrenError('INTERNAL', `The download of ${path} ended before it began.`));
          save(parts, file.name);
          resolve();
        },
      },
    );
  });
}
