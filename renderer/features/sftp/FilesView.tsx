import { FolderTree, X } from 'lucide-react';
import { useState, type Dispatch } from 'react';
import { DualPane } from './DualPane.js';
import type { FileSessionAction, FileSessions } from './fileSessions.js';
import { TransferQueue, type TransferOptions } from './TransferQueue.js';
import { useTransfers } from './transfersState.js';

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
        <div
          key={s.id}
          className="tab"
          role="tab"
          data-testid="files-tab"
          data-name={s.title}
          data-active={s.id === sessions.active}
          aria-selected={s.id === sessions.active}
          title={s.title}
          onClick={() => dispatch({ type: 'activate', id: s.id })}
          onAuxClick={(e) => e.button === 1 && dispatch({ type: 'close', id: s.id })}
        >
          <FolderTree size={13} />
          <span className="tab-title">{s.title}</span>
          <button
            type="button"
            className="icon-button tab-close"
            data-testid="files-tab-close"
            aria-label={`Close ${s.title}`}
            onClick={(e) => {
              e.stopPropagation();
              dispatch({ type: 'close', id: s.id });
            }}
          >
            <X size={13} />
          </button>
        </div>
      ))}
    </div>
  );
}
