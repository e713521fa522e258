import { Circle, CircleStop, FileText, FolderOpen } from 'lucide-react';
import { useCallback, useState, type ReactNode } from 'react';
import { isLocal } from '../../../shared/model.js';
import { useClient } from '../../lib/client.js';
import type { MenuEntry } from '../../lib/ContextMenu.js';
import { useFeedback } from '../../lib/feedback.js';
import { useFilesHere } from './filesHere.js';
import { LogToFileDialog } from './LogToFileDialog.js';
import type { Tab, TabState } from './tabs.js';
import './sessionTools.css';

export interface SessionTools {
  /** the terminal menu's items for this session (empty once it has ended) */
  menu: MenuEntry[];
  /** the buttons and badges in the pane's corner, and the log dialog while it is open */
  corner: ReactNode;
}

interface SessionView {
  state: TabState;
  opened: { sessionId: string } | null;
  logFile: string | null;
}

/** What a pane's live session offers beside the shell: its files here (a host's), and a log of it in a file. */
export function useSessionTools(tab: Tab, session: SessionView): SessionTools {
  const client = useClient();
  const { reportError } = useFeedback();
  const live = session.opened && (session.state === 'open' || session.state === 'reconnecting') ? session.opened.sessionId : null;
  const remote = isLocal(tab.target) ? null : tab.target;
  const filesHere = useFilesHere(remote, tab.title, live);
  const [asking, setAsking] = useState(false);
  const stopLog = useCallback(() => {
    if (live) client.call('terminal.log.stop', { sessionId: live }).catch(reportError);
  }, [client, reportError, live]);
  if (live === null) return { menu: [], corner: null };

  const logFile = session.logFile;
  const where = window.warrenDesktop?.desktop === true ? '' : " (on the machine running Warren's server)";
  const menu: MenuEntry[] = [
    ...(remote ? [{ id: 'pane-menu-files-here', label: 'Open files here', icon: <FolderOpen size={14} />, onSelect: filesHere }] : []),
    logFile
      ? { id: 'pane-menu-log-stop', label: 'Stop logging to a file', icon: <CircleStop size={14} />, onSelect: stopLog }
      : { id: 'pane-menu-log-start', label: 'Log to a file…', icon: <FileText size={14} />, onSelect: () => setAsking(true) },
  ];
  const corner = (
    <>
      {logFile && (
        <button
          type="button"
          className="term-tool term-rec"
          data-testid="term-rec"
          data-file={logFile}
          title={`Logging to ${logFile}${where}. Click to stop.`}
          onClick={stopLog}
        >
          <Circle size={9} fill="currentColor" /> REC
        </button>
      )}
      {remote && (
        <button
          type="button"
          className="term-tool"
          data-testid="term-files-here"
          title="Open this host's files at the shell's working directory"
          onClick={filesHere}
        >
          <FolderOpen size={13} /> Files here
        </button>
      )}
      {asking && <LogToFileDialog sessionId={live} title={tab.title} onStarted={() => setAsking(false)} onCancel={() => setAsking(false)} />}
    </>
  );
  return { menu, corner };
}
