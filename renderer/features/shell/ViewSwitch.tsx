import { ArrowLeftRight, FolderTree, KeyRound, Settings, SquareTerminal } from 'lucide-react';
import { useTunnelStatuses } from '../tunnels/TunnelStatuses.js';

export type View = 'terminals' | 'files' | 'tunnels' | 'keys' | 'settings';

interface ViewSwitchProps {
  view: View;
  terminals: number;
  /** open file browsers */
  files: number;
  onChange(view: View): void;
}

/** The thin header over the main area: terminals, file browsers, the tunnel dashboard, keys or settings (terminals and browsers keep running). */
export function ViewSwitch({ view, terminals, files, onChange }: ViewSwitchProps) {
  const statuses = [...useTunnelStatuses().values()];
  const up = statuses.filter((s) => s.state === 'up').length;
  const trouble = statuses.some((s) => s.state === 'failed' || s.state === 'reconnecting');
  return (
    <div className="viewbar">
      <div className="segmented" role="group" aria-label="Main view">
        <button type="button" data-testid="view-terminals" aria-pressed={view === 'terminals'} onClick={() => onChange('terminals')}>
          <SquareTerminal size={14} /> Terminals <span className="segment-count">{terminals}</span>
        </button>
        <button type="button" data-testid="view-files" aria-pressed={view === 'files'} onClick={() => onChange('files')}>
          <FolderTree size={14} /> Files <span className="segment-count">{files}</span>
        </button>
        <button type="button" data-testid="view-tunnels" aria-pressed={view === 'tunnels'} onClick={() => onChange('tunnels')}>
          <ArrowLeftRight size={14} /> Tunnels
          <span className="segment-count" title={`${up} of ${statuses.length} tunnels up`}>
            {up}/{statuses.length}
          </span>
          {trouble && <span className="segment-alert" title="A tunnel failed or is reconnecting" />}
        </button>
        <button type="button" data-testid="view-keys" aria-pressed={view === 'keys'} onClick={() => onChange('keys')}>
          <KeyRound size={14} /> Keys
        </button>
        <button type="button" data-testid="view-settings" aria-pressed={view === 'settings'} onClick={() => onChange('settings')}>
          <Settings size={14} /> Settings
        </button>
      </div>
    </div>
  );
}
