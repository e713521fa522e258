import { FolderTree } from 'lucide-react';
import { Tab } from '../../lib/Tab.js';
import { useState, type Dispatch } from 'react';
import { DualPane } from './DualPane.js';
import type { FileSessionAction, FileSessions } from './fileSessions.js';
import { TransferQueue, type TransferOptions } from './TransferQueue.js';
import { useTransfers } from './transfersState.js';
import './sftp.css';

/** The Files view: a tab per host's browser (each a dual pane, kept while hidden), the transfer queue below. */
export function FilesView({ sessions, dispatch }: { sessions: FileSessions; dispatch: Dispatch<FileSessionAction> }) {
  const transfers = useTransfers();
  const [options, setOptions] = useState<TransferOptions>({ conflict: 'ask', preserve: true });
  return (
    <section className="files" data-testid="files">
      <FileTabs sessions={sessions} dispatch={dispatch} />
      <div className="files-body">
        {sessions.list.map((s) => (
          <DualPane key={s.id} session={s} hidden={s.id !== sessions.active} options={options} transfers={transfers} />
        ))}
        {sessions.list.length === 0 && (
          <div className="workspace-empty">
            <FolderTree size={40} strokeWidth={1.2} />
            <p>No file browser open.</p>
            <p className="muted">Hover a host in the tree and choose SFTP.</p>
          </div>
        )}
      </div>
      <TransferQueue transfers={transfers} options={options} onOptions={setOptions} />
    </section>
  );
}

function FileTabs({ sessions, dispatch }: { sessions: FileSessions; dispatch: Dispatch<FileSessionAction> }) {
  return (
    <div className="tabbar" role="tablist">
      {sessions.list.map((s) => (
        <Tab
          key={s.id}
          title={s.title}
          active={s.id === sessions.active}
          testId="files-tab"
          closeTestId="files-tab-close"
          data={{ 'data-name': s.title }}
          lead={<FolderTree size={13} />}
          onActivate={() => dispatch({ type: 'activate', id: s.id })}
          onClose={() => dispatch({ type: 'close', id: s.id })}
        />
      ))}
    </div>
  );
}
