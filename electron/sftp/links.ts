// Browser mode's downloads as normal HTTP downloads. `download.link` checks the file and makes a ticket
// for it; browser mode's server (rpc/web.ts) serves GET /download/<ticket> from the same engine the
// queue uses (BrowserTransfers.download), so the browser writes the file to disk as it arrives and can
// resume it (Range) instead of holding it in page memory. A ticket is 32 random bytes (the link is the
// capability: the page got it through the token-checked contract), good for 10 minutes after its last
// use, for that one file.
import { randomBytes } from 'node:crypto';
import type { Target } from '../../shared/model.js';

export const DOWNLOAD_PREFIX = '/download/';
const TTL_MS = 10 * 60_000;
/** the most links kept at once: the oldest go first */
const MAX_LINKS = 1000;

/** A download to the browser as the engine (BrowserTransfers.download) hands it out: what it is, then its bytes in order. */
export type DownloadEvent = { type: 'start'; id: string; name: string; size: number; mtime: number } | { type: 'data'; data: Uint8Array<ArrayBuffer> };

export interface DownloadLink {
  target: Target;
  path: string;
}

export class DownloadLinks {
  private readonly links = new Map<string, DownloadLink & { expires: number }>();

  /** the link's path, `/download/<ticket>` */
  create(link: DownloadLink): string {
    this.prune();
    const ticket = randomBytes(32).toString('base64url');
    this.links.set(ticket, { ...link, expires: Date.now() + TTL_MS });
    return `${DOWNLOAD_PREFIX}${ticket}`;
  }

  /** the file a ticket stands for, while it is good (each use extends it) */
  take(ticket: string): DownloadLink | null {
    const link = this.links.get(ticket);
    if (!link || link.expires < Date.now()) {
      this.links.delete(ticket);
      return null;
    }
    link.expires = Date.now() + TTL_MS;
    return { target: link.target, path: link.path };
  }

  private prune(): void {
    const now = Date.now();
    for (const [t, l] of this.links) if (l.expires < now) this.links.delete(t);
    while (this.links.size >= MAX_LINKS) this.links.delete(this.links.keys().next().value!);
  }
}

/** What browser mode's HTTP server needs to serve a download link. */
export interface BrowserDownloads {
  /** the file behind a ticket, while the link is good */
  find(ticket: string): DownloadLink | null;
  /** the file's size and mtime (ms) now, for the validators a resume is checked against */
  stat(link: DownloadLink): Promise<{ size: number; mtime: number }>;
  /** the file's bytes from `from` (a Range request resumes), through `emit`; `ack` each chunk once it is written */
  run(link: DownloadLink, from: number, emit: (e: DownloadEvent) => void, signal: AbortSignal): Promise<void>;
  ack(id: string, bytes: number): void;
}
