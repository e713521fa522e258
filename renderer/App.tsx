import { useCallback, useReducer, useState } from 'react';
import type { RpcClient } from '../shared/client.js';
import type { Target, TerminalTarget } from '../shared/model.js';
import { DoctorProvider } from './features/doctor/DoctorProvider.js';
import { KeysView } from './features/keys/KeysView.js';
import { CommandPalette } from './features/palette/CommandPalette.js';
import { usePaletteCommands } from './features/palette/usePaletteCommands.js';
import { Sidebar } from './features/hosts/Sidebar.js';
import { TreeProvider } from './features/hosts/TreeProvider.js';
import { PromptCenter } from './features/prompts/PromptCenter.js';
import { SettingsProvider } from './features/settings/SettingsProvider.js';
import { SettingsView } from './features/settings/SettingsView.js';
import { SnippetRunner } from './features/snippets/SnippetRunner.js';
import { Notices } from './features/shell/Notices.js';
import { StatusBar } from './features/shell/StatusBar.js';
import { useAppInfo } from './features/shell/useAppInfo.js';
import { fileSessionsReducer, noFileSessions } from './features/sftp/fileSessions.js';
import { FilesView } from './features/sftp/FilesView.js';
import { OpenFilesContext } from './features/sftp/openFiles.js';
import { noTabs, openTab, tabsReducer } from './features/terminal/tabs.js';
import { Terminals } from './features/terminal/Terminals.js';
import { useWorkspace } from './features/terminal/useWorkspace.js';
import { TunnelDashboard } from './features/tunnels/TunnelDashboard.js';
import { TunnelStatusProvider } from './features/tunnels/TunnelStatuses.js';
import { ViewSwitch, type View } from './features/shell/ViewSwitch.js';
import { ClientContext } from './lib/client.js';
import { FeedbackProvider } from './lib/feedback.js';
import './features/shell/shell.css';

export function App({ client }: { client: RpcClient }) {
  return (
    <ClientContext value={client}>
      <FeedbackProvider>
        <TreeProvider>
          <TunnelStatusProvider>
            <DoctorProvider>
              <SettingsProvider>
                <SnippetRunner>
                  <Shell />
                </SnippetRunner>
              </SettingsProvider>
            </DoctorProvider>
          </TunnelStatusProvider>
        </TreeProvider>
      </FeedbackProvider>
    </ClientContext>
  );
}

/**
 * Banners on top, the host tree on the left, the main area (terminals in tabs, file browsers, or
 * the tunnel dashboard) on the right, the status bar at the bottom. Hidden terminals and file
 * browsers keep running.
 */
function Shell() {
  const info = useAppInfo();
  const [tabs, dispatch] = useReducer(tabsReducer, noTabs);
  useWorkspace(tabs, dispatch);
  const [view, setView] = useState<View>('terminals');
  const connect = useCallback((target: TerminalTarget, title: string) => {
    dispatch(openTab(target, title));
    setView('terminals');
  }, []);
  const showTunnels = useCallback(() => setView('tunnels'), []);
  const [files, filesDispatch] = useReducer(fileSessionsReducer, noFileSessions);
  const openFiles = useCallback((target: Target, title: string, path?: string | null) => {
    filesDispatch({ type: 'open', target, title, path });
    setView('files');
  }, []);
  const commands = usePaletteCommands({ connect, openFiles, setView });
  return (
    <div className="app">
      <Notices />
      <div className="app-body">
        <Sidebar onConnect={connect} onOpenFiles={openFiles} onShowTunnels={showTunnels} />
        <main className="main">
          <ViewSwitch view={view} terminals={tabs.list.length} files={files.list.length} onChange={setView} />
          <div className="view" hidden={view !== 'terminals'}>
            <OpenFilesContext value={openFiles}>
              <Terminals tabs={tabs} dispatch={dispatch} shown={view === 'terminals'} />
            </OpenFilesContext>
          </div>
          <div className="view" hidden={view !== 'files'}>
            <FilesView sessions={files} dispatch={filesDispatch} />
          </div>
          {view === 'tunnels' && <TunnelDashboard />}
          {view === 'keys' && <KeysView />}
          {view === 'settings' && <SettingsView />}
        </main>
      </div>
      <StatusBar info={info} />
      <PromptCenter />
      <CommandPalette commands={commands} />
    </div>
  );
}
