import { FileInput, FolderPlus, Plus, Search } from 'lucide-react';
import { useState } from 'react';
import type { RpcClient } from '../../../shared/client.js';
import type { Group, HostRecord, Target, Tree } from '../../../shared/model.js';
import { useClient } from '../../lib/client.js';
import { ConfirmDialog } from '../../lib/ConfirmDialog.js';
import { useFeedback } from '../../lib/feedback.js';
import { useCopy } from '../../lib/useCopy.js';
import { useStreamValue } from '../../lib/useStream.js';
import { useDoctor } from '../doctor/DoctorProvider.js';
import { RotateDialog } from '../keys/RotateDialog.js';
import { useTunnelActions } from '../tunnels/useTunnelActions.js';
import { GroupEditor } from './GroupEditor.js';
import { HostEditor } from './HostEditor.js';
import { HostTree } from './HostTree.js';
import { ImportDialog } from './ImportDialog.js';
import { QuickConnect } from './QuickConnect.js';
import { hasContent } from './treeModel.js';
import type { TreeActions, TreeItem } from './TreeRows.js';
import './hosts.css';

/** Which editor (or the ssh_config import) is open; a null record means "new". */
type Editing = { kind: 'host'; host: HostRecord | null } | { kind: 'group'; group: Group | null } | { kind: 'import' };

interface Confirming {
  message: string;
  okLabel: string;
  run(): Promise<unknown>;
}

function deletion(client: RpcClient, tree: Tree, item: TreeItem): Confirming {
  if (item.kind === 'host') {
    const { id, name } = item.host;
    return { message: `Delete host ${name}?`, okLabel: 'Delete host', run: () => client.call('hosts.delete', { id }) };
  }
  const { id, name } = item.group;
  const recursive = hasContent(tree, id);
  return {
    message: recursive ? `Delete group ${name} and everything in it?` : `Delete group ${name}?`,
    okLabel: 'Delete group',
    run: () => client.call('groups.delete', { id, recursive }),
  };
}

interface SidebarProps {
  onConnect(target: Target, title: string): void;
  /** the host's file browser */
  onOpenFiles(target: Target, title: string): void;
  onShowTunnels(): void;
}

export function Sidebar({ onConnect, onOpenFiles, onShowTunnels }: SidebarProps) {
  const client = useClient();
  const { reportError } = useFeedback();
  const tunnelActions = useTunnelActions();
  const copy = useCopy();
  const { diagnose } = useDoctor();
  const tree = useStreamValue('tree.watch');
  const tunnelsOf = (host: HostRecord) => tree?.tunnels.filter((t) => t.hostId === host.id) ?? [];
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<Editing | null>(null);
  const [confirming, setConfirming] = useState<Confirming | null>(null);
  const [rotating, setRotating] = useState<HostRecord | null>(null);

  const actions: TreeActions = {
    connect: (host) => onConnect({ hostId: host.id }, host.name),
    sftp: (host) => onOpenFiles({ hostId: host.id }, host.name),
    copyCommand: ({ id }) => {
      client.call('hosts.command', { id }).then(({ command }) => copy(command), reportError);
    },
    diagnose: (host) => diagnose({ hostId: host.id }, host.name),
    rotate: (host) => setRotating(host),
    edit: (item) => setEditing(item),
    remove: (item) => tree && setConfirming(deletion(client, tree, item)),
    move: ({ kind, id }, parentId) => {
      if (kind === 'host') {
        const host = tree?.hosts.find((h) => h.id === id);
        if (host && host.groupId !== parentId) client.call('hosts.update', { id, patch: { groupId: parentId } }).catch(reportError);
      } else {
        const group = tree?.groups.find((g) => g.id === id);
        if (group && group.id !== parentId && group.parentId !== parentId) client.call('groups.update', { id, parentId }).catch(reportError);
      }
    },
    startTunnels: (host) => void tunnelActions.startAll(tunnelsOf(host)),
    stopTunnels: (host) => void tunnelActions.stopAll(tunnelsOf(host)),
  };

  return (
    <aside className="sidebar">
      <QuickConnect onConnect={onConnect} />
      <div className="sidebar-tools">
        <div className="input-with-icon">
          <Search size={14} />
          <input
            data-testid="tree-filter"
            type="search"
            value={filter}
            placeholder="Filter hosts"
            aria-label="Filter hosts"
            spellCheck={false}
            onChange={(e) => setFilter(e.target.value)}
          />
        </div>
        <div className="sidebar-buttons">
          <button type="button" data-testid="new-host" onClick={() => setEditing({ kind: 'host', host: null })}>
            <Plus size={14} /> New host
          </button>
          <button type="button" data-testid="new-group" onClick={() => setEditing({ kind: 'group', group: null })}>
            <FolderPlus size={14} /> New group
          </button>
          <button type="button" data-testid="import-sshconfig" title="Import hosts from an OpenSSH config file" onClick={() => setEditing({ kind: 'import' })}>
            <FileInput size={14} /> Import ssh_config
          </button>
        </div>
      </div>
      {tree ? <HostTree tree={tree} filter={filter} actions={actions} /> : <div className="tree-empty">Loading hosts…</div>}
      {editing?.kind === 'host' && (
        <HostEditor
          host={editing.host}
          groups={tree?.groups ?? []}
          hosts={tree?.hosts ?? []}
          tunnels={editing.host ? tunnelsOf(editing.host) : []}
          onOpenTunnels={() => {
            setEditing(null);
            onShowTunnels();
          }}
          onClose={() => setEditing(null)}
        />
      )}
      {editing?.kind === 'group' && <GroupEditor group={editing.group} groups={tree?.groups ?? []} onClose={() => setEditing(null)} />}
      {editing?.kind === 'import' && <ImportDialog groups={tree?.groups ?? []} onClose={() => setEditing(null)} />}
      {rotating && <RotateDialog host={rotating} onClose={() => setRotating(null)} />}
      {confirming && (
        <ConfirmDialog
          message={confirming.message}
          okLabel={confirming.okLabel}
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            setConfirming(null);
            confirming.run().catch(reportError);
          }}
        />
      )}
    </aside>
  );
}
