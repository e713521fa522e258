import { ArrowUp, ChevronRight, Eye, EyeOff, FolderPlus, House, RefreshCw } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { visible } from '../../../shared/untrusted.js';
import { crumbsOf, parentOf } from './paths.js';
import type { PaneModel } from './usePane.js';

interface PaneToolbarProps {
  pane: PaneModel;
  title: ReactNode;
  showHidden: boolean;
  onToggleHidden(): void;
  onNewFolder(): void;
  /** "1,204 items · 12 hidden" */
  summary: string;
}

/** Home, up, refresh, the editable path and the new-folder and hidden-files switches; breadcrumbs under them. */
export function PaneToolbar({ pane, title, showHidden, onToggleHidden, onNewFolder, summary }: PaneToolbarProps) {
  const path = pane.listing?.path ?? null;
  const go = (p: string | null) => void pane.go(p);
  const Hidden = showHidden ? Eye : EyeOff;
  return (
    <div className="pane-head">
      <div className="pane-toolbar">
        <span className="pane-title">{title}</span>
        <ToolButton testId="home" title="Home folder" onClick={() => go(null)}>
          <House size={14} />
        </ToolButton>
        <ToolButton
          testId="up"
          title="Up one folder (Backspace)"
          disabled={path === null || parentOf(path) === path}
          onClick={() => path && go(parentOf(path))}
        >
          <ArrowUp size={14} />
        </ToolButton>
        <ToolButton testId="refresh" title="Refresh" onClick={() => void pane.refresh()}>
          <RefreshCw size={14} className={pane.loading ? 'spin' : undefined} />
        </ToolButton>
        <PathInput key={path} path={path} onGo={(p) => pane.go(p)} />
        <ToolButton testId="mkdir" title="New folder" disabled={path === null} onClick={onNewFolder}>
          <FolderPlus size={14} />
        </ToolButton>
        <ToolButton testId="show-hidden" title={showHidden ? 'Hide hidden files' : 'Show hidden files'} pressed={showHidden} onClick={onToggleHidden}>
          <Hidden size={14} />
        </ToolButton>
      </div>
      <div className="pane-crumbs">
        <nav className="crumbs" aria-label="Path" data-testid="crumbs">
          {path &&
            crumbsOf(path).map((c, i, all) => (
              <span key={c.path} className="crumb">
                {i > 0 && <ChevronRight size={12} className="crumb-sep" />}
                <button
                  type="button"
                  className="link"
                  data-testid="crumb"
                  aria-current={i === all.length - 1 ? 'location' : undefined}
                  onClick={() => go(c.path)}
                >
                  {visible(c.name)}
                </button>
              </span>
            ))}
        </nav>
        <span className="pane-summary">{summary}</span>
      </div>
    </div>
  );
}

/** The folder as text: type a path, Enter goes there; Escape puts back the current one. */
function PathInput({ path, onGo }: { path: string | null; onGo(path: string): Promise<boolean> }) {
  const [draft, setDraft] = useState(path ?? '');
  return (
    <input
      className="pane-path"
      data-testid="path"
      aria-label="Folder"
      value={draft}
      spellCheck={false}
      autoComplete="off"
      disabled={path === null}
      onChange={(e) => setDraft(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && draft.trim() !== '') void onGo(draft.trim());
        if (e.key === 'Escape') setDraft(path ?? '');
      }}
    />
  );
}

interface ToolButtonProps {
  testId: string;
  title: string;
  disabled?: boolean;
  pressed?: boolean;
  onClick(): void;
  children: ReactNode;
}

function ToolButton({ testId, title, disabled, pressed, onClick, children }: ToolButtonProps) {
  return (
    <button
      type="button"
      className="icon-button"
      data-testid={testId}
      title={title}
      aria-label={title}
      aria-pressed={pressed}
      disabled={disabled}
      onClick={onClick}
    >
      {children}
    </button>
  );
}
