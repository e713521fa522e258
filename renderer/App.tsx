import { useCallback, useReducer, useState } from 'react';
import type { RpcClient } from '../shared/client.js';
import type { Target } from '../shared/model.js';
import { Sidebar } from './features/hosts/Sidebar.js';
import { PromptCenter } from './features/prompts/PromptCenter.js';
import { Notices } from './features/settings/Notices.js';
import { StatusBar } from './features/settings/StatusBar.js';
import { useAppInfo } from './features/settings/useAppInfo.js';
import { noTabs, openTab, tabsReducer } from './features/terminal/tabs.js';
import { Terminals } from './features/terminal/Terminals.js';
import { TunnelDashboard } from './features/tunnels/TunnelDashboard.js';
import { TunnelStatusProvider } from './features/tunnels/TunnelStatuses.js';
import { ViewSwitch, type View } from './features/tunnels/ViewSwitch.js';
import { ClientContext } from './lib/client.js';
import { FeedbackProvider } from './lib/feedback.js';

export function App({ client }: { client: RpcClient }) {
  return (
    <ClientContext value={client}>
      <FeedbackProvider>
        <TunnelStatusProvider>
          <Shell />
        </TunnelStatusProvider>
      </FeedbackProvider>
    </ClientContext>
  );
}

/**
 * Banners on top, the host tree on the left, the main area (terminals in tabs, or the tunnel
 * dashboard) on the right, the status bar at the bottom. Hidden terminals keep running.
 */
function Shell() {
  const info = useAppInfo();
  const [tabs, dispatch] = useReducer(tabsReducer, noTabs);
  const [view, setView] = useState<View>('terminals');
  const connect = useCallback((target: Target, title: string) => {
    dispatch(openTab(target, title));
    setView('terminals');
  }, []);
  const showTunnels = useCallback(() => setView('tunnels'), []);
  return (
    <div className="app">
      <Notices />
      <div className="app-body">
        <Sidebar onConnect={connect} onShowTunnels={showTunnels} />
        <main className="main">
          <ViewSwitch view={view} terminals={tabs.list.length} onChange={setView} />
          <div className="view" hidden={view !== 'terminals'}>
            <Terminals tabs={tabs} dispatch={dispatch} />
          </div>
          {view === 'tunnels' && <TunnelDashboard />}
        </main>
      </div>
      <StatusBar info={info} />
      <PromptCenter />
    </div>
  );
}
