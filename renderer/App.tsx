import { useCallback, useReducer } from 'react';
import type { RpcClient } from '../shared/client.js';
import type { Target } from '../shared/model.js';
import { Sidebar } from './features/hosts/Sidebar.js';
import { PromptCenter } from './features/prompts/PromptCenter.js';
import { Notices } from './features/settings/Notices.js';
import { StatusBar } from './features/settings/StatusBar.js';
import { useAppInfo } from './features/settings/useAppInfo.js';
import { noTabs, openTab, tabsReducer } from './features/terminal/tabs.js';
import { Terminals } from './features/terminal/Terminals.js';
import { ClientContext } from './lib/client.js';
import { FeedbackProvider } from './lib/feedback.js';

export function App({ client }: { client: RpcClient }) {
  return (
    <ClientContext value={client}>
      <FeedbackProvider>
        <Shell />
      </FeedbackProvider>
    </ClientContext>
  );
}

/** Banners on top, the host tree on the left, terminals in tabs, the status bar at the bottom. */
function Shell() {
  const info = useAppInfo();
  const [tabs, dispatch] = useReducer(tabsReducer, noTabs);
  const connect = useCallback((target: Target, title: string) => dispatch(openTab(target, title)), []);
  return (
    <div className="app">
      <Notices />
      <div className="app-body">
        <Sidebar onConnect={connect} />
        <Terminals tabs={tabs} dispatch={dispatch} />
      </div>
      <StatusBar info={info} />
      <PromptCenter />
    </div>
  );
}
