import { Plus, SquareTerminal } from 'lucide-react';
import { useMemo, useState, type Dispatch } from 'react';
import { BroadcastContext, InputBus } from './broadcast.js';
import { useCloseGuard } from './CloseGuard.js';
import { TabBar } from './TabBar.js';
import { useTabKeys } from './tabKeys.js';
import { bindingText, TAB_KEYS } from '../../lib/keybindings.js';
import { localShellNote, openLocalTab, type TabAction, type Tabs } from './tabs.js';
import { TabPanes } from './TabPanes.js';
import './terminal.css';

/** The main area: tabs on top, the terminals below; `shown`: the terminals view is the one on screen. */
export function Terminals({ tabs, dispatch: apply, shown }: { tabs: Tabs; dispatch: Dispatch<TabAction>; shown: boolean }) {
  // every close goes through the guard, which asks first when a live shell would end
  const { dispatch, dialog } = useCloseGuard(tabs, apply);
  useTabKeys(tabs, dispatch, shown);
  const [bus] = useState(() => new InputBus());
  const broadcast = useMemo(() => ({ bus, receiving: new Set(tabs.broadcast) }), [bus, tabs.broadcast]);
  return (
    <BroadcastContext value={broadcast}>
      <section className="workspace">
        <div className="tabbar-row">
          <TabBar tabs={tabs} dispatch={dispatch} />
          <button
            type="button"
            className="icon-button tab-new"
            data-testid="new-local-shell"
            aria-label="New local shell"
            title={`New local shell (${bindingText(TAB_KEYS.localShell)}): ${localShellNote() ?? 'a shell on this computer'}`}
            onClick={() => dispatch(openLocalTab())}
          >
            <Plus size={16} />
          </button>
        </div>
        <div className="panes">
          {tabs.list.map((tab) => (
            <TabPanes key={tab.id} tab={tab} active={tab.id === tabs.active} shown={shown} dispatch={dispatch} />
          ))}
          {tabs.list.length === 0 && (
            <div className="workspace-empty">
              <SquareTerminal size={40} strokeWidth={1.2} />
              <p>No open terminals.</p>
              <p className="muted">Double-click a host, type user@host in quick connect, or open a local shell with + ({bindingText(TAB_KEYS.localShell)}).</p>
            </div>
          )}
        </div>
        {dialog}
      </section>
    </BroadcastContext>
  );
}
