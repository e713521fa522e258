// Links in a terminal (OSC 8 hyperlinks and plain URLs the web-links addon finds) come from the server.
// None opens without the user's click and a confirmation that shows where it really leads (LinkDialog),
// and only web links open at all: file:, javascript: and custom schemes can read files or launch programs.

/** What the terminal's output links to, as the confirmation shows it. */
export interface Link {
  uri: string;
  /** why Warren will not open it, or null when it may once the user confirms */
  refused: string | null;
}

/**
 * The schemes Warren opens. The desktop app hands a link to the OS browser only when it is https
 * (electron/platform/shell.ts); browser mode opens a tab, where http is as safe as any other page.
 */
const schemes = (desktop: boolean) => (desktop ? ['https:'] : ['http:', 'https:']);

export function linkOf(uri: string, desktop: boolean): Link {
  if (!URL.canParse(uri)) return { uri, refused: 'It is not a URL.' };
  const { protocol } = new URL(uri);
  const allowed = schemes(desktop);
  if (!allowed.includes(protocol)) {
    return {
      uri,
      refused: `Warren opens only ${allowed.map((s) => s.slice(0, -1)).join(' and ')} links${desktop ? ' in the desktop app' : ''}; ${protocol} links can read files or start programs.`,
    };
  }
  return { uri, refused: null };
}

/**
 * A confirmed link, in a new tab with no way back to Warren's page. In the desktop app no window opens:
 * the main process's window-open handler hands https links to the OS browser (electron/main/security.ts).
 */
export function openLink(uri: string): void {
  window.open(new URL(uri).href, '_blank', 'noopener,noreferrer');
}
