import type { RpcClient } from '../../../shared/client.js';
import type { Target } from '../../../shared/model.js';

/**
 * Browser mode: a remote file into the browser's downloads. `download.link` checks the file (its
 * errors reach the caller) and answers a link that browser mode's server serves as a normal HTTP
 * download, so the browser shows it in its download bar at once and writes it to disk as it arrives
 * (and can resume it); the page holds none of it. It shows in the transfer queue, where it can be cancelled.
 */
export async function downloadToBrowser(client: RpcClient, target: Target, path: string): Promise<void> {
  const { href } = await client.call('download.link', { target, path });
  const a = document.createElement('a');
  a.href = href;
  a.download = ''; // the server's Content-Disposition names it
  a.click();
}
