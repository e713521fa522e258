import { FolderOpen } from 'lucide-react';
import type { ReactNode } from 'react';
import type { MenuEntry } from '../../lib/ContextMenu.js';
import { useFilesHere } from './filesHere.js';
import type { Tab, TabState } from './tabs.js';

export interface SessionTools {
  /** the terminal menu's items for this session (empty once it has ended) */
  menu: MenuEntry[];
  /** the buttons and badges in the pane's corner */
  corner: ReactNode;
}

/** What a pane's live session offers beside the shell: its files here. */
export function useSessionTools(tab: Tab, session: { state: TabState; opened: { sessionId: string } | null }): SessionTools {
  const live = session.opened && (session.state === 'open' || session.state === 'reconnecting') ? session.opened.sessionId : null;
  const filesHere = useFilesHere(tab.target, tab.title, live);
  if (live === null) return { menu: [], corner: null };
  const filesTitle = "Open this host's files at the shell's working directory";
  return {
    menu: [{ id: 'pane-menu-files-here', label: 'Open files here', icon: <FolderOpen size={14} />, onSelect: filesHere }],
    corner: (
      <button type="button" className="term-tool" data-testid="term-files-here" title={filesTitle} onClick={filesHere}>
        <FolderOpen size={13} /> Files here
      </button>
    ),
  };
}
