import { FileCode, FileInput, FileJson, FileOutput, FolderPlus, PanelLeftClose, PanelLeftOpen, Plus, Search } from 'lucide-react';
import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { RpcClient } from '../../../shared/client.js';
import type { CallInput } from '../../../shared/contract.js';
import type { Group, HostRecord, Target, Tree } from '../../../shared/model.js';
import { useClient } from '../../lib/client.js';
import { ConfirmDialog } from '../../lib/ConfirmDialog.js';
import { ContextMenu } from '../../lib/ContextMenu.js';
import { useFeedback } from '../../lib/feedback.js';
import { useCopy } from '../../lib/useCopy.js';
import { useDoctor } from '../doctor/DoctorProvider.js';
import { RotateDialog } from '../keys/RotateDialog.js';
import { useTunnelActions } from '../tunnels/useTunnelActions.js';
import { GroupEditor } from './GroupEditor.js';
import { HostEditor } from './HostEditor.js';
import { MoveDialog, TagDialog } from './BulkDialogs.js';
import { HostTree, type TreeHandle } from './HostTree.js';
import { ImportDialog } from './ImportDialog.js';
import { QuickConnect } from './QuickConnect.js';
import { hasContent } from './treeModel.js';
import type { TreeActions } from './treeMenus.js';
import { useTree } from './TreeProvider.js';
import type { TreeItem } from './TreeRows.js';
import './hosts.css';

/** Which editor or dialog is open; a null record means "new". */
type Editing =
  | { kind: 'host'; host: HostRecord | null; draft?: { hostname: string; user?: string; port?: number } }
  | { kind: 'group'; group: Group | null }
  | { kind: 'import' }
  | { kind: 'move'; items: TreeItem[] }
  | { kind: 'tag'; hosts: HostRecord[] };

interface Confirming {
  message: string;
  okLabel: string;
  run(): Promise<unknown>;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function deletion(client: RpcClient, tree: Tree, items: TreeItem[]): Confirming {
  const hostIds = items.flatMap((i) => (i.kind === 'host' ? [i.host.id] : []));
  const groupIds = items.flatMap((i) => (i.kind === 'group' ? [i.group.id] : []));
  const run = () => client.call('items.delete', { hostIds, groupIds });
  if (items.length === 1) {
    const item = items[0]!;
    if (item.kind === 'host') return { message: `Delete host ${item.host.name}?`, okLabel: 'Delete host', run };
    const full = hasContent(tree, item.group.id);
    return { message: full ? `Delete group ${item.group.name} and everything in it?` : `Delete group ${item.group.name}?`, okLabel: 'Delete group', run };
  }
  const parts = [hostIds.length > 0 && plural(hostIds.length, 'host'), groupIds.length > 0 && `${plural(groupIds.length, 'group')} with everything in them`];
  return { message: `Delete ${parts.filter(Boolean).join(' and ')}?`, okLabel: `Delete ${plural(items.length, 'item')}`, run };
}

/** A copy of a host under a new name; its saved secrets are not copied. */
function duplicateOf(host: HostRecord, tree: Tree): CallInput<'hosts.create'> {
  const { id: _id, hasPassword: _p, hasPassphrase: _q, bannerSeen: _b, favourite: _f, ...fields } = host;
  const taken = new Set(tree.hosts.map((h) => h.name.toLowerCase()));
  let name = `${host.name} (copy)`;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${host.name} (copy ${n})`;
  return { ...fields, name: name.slice(0, 120) };
}

interface SidebarProps {
  onConnect(target: Target, title: string): void;
  /** the host's file browser */
  onOpenFiles(target: Target, title: string): void;
  onShowTunnels(): void;
}

const WIDTH_KEY = 'warren.sidebar.width';
const storedWidth = () => {
  const n = Number(localStorage.getItem(WIDTH_KEY));
  return Number.isFinite(n) && n >= 200 && n <= 640 ? n : 280;
};

export function Sidebar({ onConnect, onOpenFiles, onShowTunnels }: SidebarProps) {
  const client = useClient();
  const { reportError, notify } = useFeedback();
  const tunnelActions = useTunnelActions();
  const copy = useCopy();
  const { diagnose } = useDoctor();
  const tree = useTree();
  const tunnelsOf = (host: HostRecord) => tree?.tunnels.filter((t) => t.hostId === host.id) ?? [];
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<Editing | null>(null);
  const [confirming, setConfirming] = useState<Confirming | null>(null);
  const [rotating, setRotating] = useState<HostRecord | null>(null);
  const [selection, setSelection] = useState<TreeItem[]>([]);
  const [width, setWidth] = useState(storedWidth);
  const [hidden, setHidden] = useState(() => localStorage.getItem('warren.sidebar.hidden') === '1');
  const treeHandle = useRef<TreeHandle>(null);

  useEffect(() => localStorage.setItem(WIDTH_KEY, String(width)), [width]);
  useEffect(() => localStorage.setItem('warren.sidebar.hidden', hidden ? '1' : '0'), [hidden]);
  useEffect(() => {
    // Ctrl+B (⌘B) shows and hides the sidebar, as in editors
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (
        (e.ctrlKey || e.metaKey) &&
        !e.shiftKey &&
        !e.altKey &&
        e.key.toLowerCase() === 'b' &&
        !(e.target instanceof HTMLElement && e.target.closest('.xterm'))
      ) {
        e.preventDefault();
        setHidden((h) => !h);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const connect = (host: HostRecord) => onConnect({ hostId: host.id }, host.name);
  const reveal = (id: string) => treeHandle.current?.reveal(id);
  const actions: TreeActions = {
    connect,
    sftp: (host) => onOpenFiles({ hostId: host.id }, host.name),
    copyCommand: ({ id }) => {
      client.call('hosts.command', { id }).then(({ command }) => copy(command), reportError);
    },
    diagnose: (host) => diagnose({ hostId: host.id }, host.name),
    rotate: (host) => setRotating(host),
    edit: (item) => setEditing(item.kind === 'host' ? { kind: 'host', host: item.host } : { kind: 'group', group: item.group }),
    duplicate: (host) => {
      if (!tree) return;
      client.call('hosts.create', duplicateOf(host, tree)).then((copyOf) => {
        reveal(copyOf.id);
        notify(`Made ${copyOf.name}${host.hasPassword || host.hasPassphrase ? '; saved secrets were not copied' : ''}.`);
        setEditing({ kind: 'host', host: copyOf });
      }, reportError);
    },
    favourite: (host, on) => {
      client.call('hosts.update', { id: host.id, patch: { favourite: on ? true : null } }).catch(reportError);
    },
    remove: (items) => tree && items.length > 0 && setConfirming(deletion(client, tree, items)),
    move: ({ kind, id }, parentId) => {
      // a dragged row that is part of a selection takes the selection with it
      const key = (i: TreeItem) => (i.kind === 'host' ? i.host.id : i.group.id);
      const items = selection.length > 1 && selection.some((i) => key(i) === id) ? selection : null;
      const hostIds = items ? items.flatMap((i) => (i.kind === 'host' ? [i.host.id] : [])) : kind === 'host' ? [id] : [];
      const groupIds = items ? items.flatMap((i) => (i.kind === 'group' ? [i.group.id] : [])) : kind === 'group' ? [id] : [];
      const moves =
        hostIds.some((h) => tree?.hosts.find((x) => x.id === h)?.groupId !== parentId) ||
        groupIds.some((g) => g !== parentId && tree?.groups.find((x) => x.id === g)?.parentId !== parentId);
      if (moves && !groupIds.includes(parentId ?? '')) client.call('items.move', { hostIds, groupIds, parentId }).then(() => reveal(id), reportError);
    },
    startTunnels: (host) => void tunnelActions.startAll(tunnelsOf(host)),
    stopTunnels: (host) => void tunnelActions.stopAll(tunnelsOf(host)),
    moveTo: (items) => setEditing({ kind: 'move', items }),
    tag: (hosts) => setEditing({ kind: 'tag', hosts }),
    connectAll: (hosts) => hosts.forEach(connect),
    exportConfig: (items) => {
      const hostIds = items.flatMap((i) => (i.kind === 'host' ? [i.host.id] : []));
      const groupIds = items.flatMap((i) => (i.kind === 'group' ? [i.group.id] : []));
      client.call('hosts.export', { hostIds, groupIds }).then(({ text }) => copy(text), reportError);
    },
  };

  const [exportMenu, setExportMenu] = useState<{ x: number; y: number } | null>(null);
  const downloadInventory = () => {
    client.call('inventory.export', {}).then(({ text }) => {
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      a.download = 'warren-inventory.json';
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    }, reportError);
  };

  const startResize = (e: ReactPointerEvent) => {
    e.preventDefault();
    const from = e.clientX - width;
    const onMove = (m: PointerEvent) => setWidth(Math.max(200, Math.min(640, m.clientX - from)));
    const onUp = () => {
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onUp);
    };
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);
  };

  if (hidden) {
    return (
      <aside className="sidebar sidebar-hidden" data-testid="sidebar" data-hidden="true">
        <button
          type="button"
          className="icon-button"
          data-testid="sidebar-show"
          title="Show hosts (Ctrl+B)"
          aria-label="Show hosts (Ctrl+B)"
          onClick={() => setHidden(false)}
        >
          <PanelLeftOpen size={16} />
        </button>
      </aside>
    );
  }

  const selectedHosts = selection.flatMap((i) => (i.kind === 'host' ? [i.host] : []));
  return (
    <aside className="sidebar" data-testid="sidebar" style={{ width }}>
      <QuickConnect onConnect={onConnect} onSave={(draft) => setEditing({ kind: 'host', host: null, draft })} />
      <div className="sidebar-tools">
        <div className="sidebar-filter">
          <div className="input-with-icon">
            <Search size={14} />
            <input
              data-testid="tree-filter"
              type="search"
              value={filter}
              placeholder="Find hosts, groups, #tags"
              aria-label="Filter hosts"
              aria-controls="host-tree"
              spellCheck={false}
              onChange={(e) => setFilter(e.target.value)}
              onKeyDown={(e) => treeHandle.current?.onFilterKey(e)}
            />
          </div>
          <button
            type="button"
            className="icon-button"
            data-testid="sidebar-hide"
            title="Hide hosts (Ctrl+B)"
            aria-label="Hide hosts (Ctrl+B)"
            onClick={() => setHidden(true)}
          >
            <PanelLeftClose size={16} />
          </button>
        </div>
        <div className="sidebar-buttons">
          <button type="button" data-testid="new-host" onClick={() => setEditing({ kind: 'host', host: null })}>
            <Plus size={14} /> New host
          </button>
          <button type="button" data-testid="new-group" onClick={() => setEditing({ kind: 'group', group: null })}>
            <FolderPlus size={14} /> New group
          </button>
          <button
            type="button"
            data-testid="import-sshconfig"
            title="Import hosts from an OpenSSH config file or a Warren inventory file"
            onClick={() => setEditing({ kind: 'import' })}
          >
            <FileInput size={14} /> Import…
          </button>
          <button
            type="button"
            data-testid="export-inventory"
            title="Export every host as ssh_config or as a Warren inventory file"
            onClick={(e) => {
              const r = e.currentTarget.getBoundingClientRect();
              setExportMenu({ x: r.left, y: r.bottom });
            }}
          >
            <FileOutput size={14} /> Export…
          </button>
        </div>
      </div>
      {selection.length > 1 && (
        <div className="bulk-bar" data-testid="bulk-bar" role="toolbar" aria-label="Selected hosts">
          <span className="bulk-count">{selection.length} selected</span>
          {selectedHosts.length > 0 && (
            <button type="button" data-testid="bulk-connect" onClick={() => actions.connectAll(selectedHosts)}>
              Connect
            </button>
          )}
          <button type="button" data-testid="bulk-move" onClick={() => actions.moveTo(selection)}>
            Move…
          </button>
          {selectedHosts.length > 0 && (
            <button type="button" data-testid="bulk-tag" onClick={() => actions.tag(selectedHosts)}>
              Tag…
            </button>
          )}
          <button type="button" className="danger" data-testid="bulk-delete" onClick={() => actions.remove(selection)}>
            Delete…
          </button>
        </div>
      )}
      {tree ? (
        <HostTree tree={tree} filter={filter} actions={actions} handle={treeHandle} onSelection={setSelection} />
      ) : (
        <div className="tree-empty">Loading hosts…</div>
      )}
      <div
        className="sidebar-resize"
        data-testid="sidebar-resize"
        role="separator"
        aria-orientation="vertical"
        aria-label="Resize the host list"
        onPointerDown={startResize}
      />
      {editing?.kind === 'host' && (
        <HostEditor
          host={editing.host}
          draft={editing.draft}
          groups={tree?.groups ?? []}
          hosts={tree?.hosts ?? []}
          tunnels={editing.host ? tunnelsOf(editing.host) : []}
          onOpenTunnels={() => {
            setEditing(null);
            onShowTunnels();
          }}
          onSaved={reveal}
          onClose={() => setEditing(null)}
        />
      )}
      {editing?.kind === 'group' && <GroupEditor group={editing.group} groups={tree?.groups ?? []} onSaved={reveal} onClose={() => setEditing(null)} />}
      {editing?.kind === 'import' && <ImportDialog groups={tree?.groups ?? []} onClose={() => setEditing(null)} />}
      {editing?.kind === 'move' && <MoveDialog items={editing.items} groups={tree?.groups ?? []} onClose={() => setEditing(null)} />}
      {editing?.kind === 'tag' && tree && <TagDialog hosts={editing.hosts} tree={tree} onClose={() => setEditing(null)} />}
      {rotating && <RotateDialog host={rotating} onClose={() => setRotating(null)} />}
      {exportMenu && (
        <ContextMenu
          at={exportMenu}
          label="Export"
          onClose={() => setExportMenu(null)}
          items={[
            { id: 'export-json', label: 'Warren inventory file (.json)', icon: <FileJson size={14} />, onSelect: downloadInventory },
            {
              id: 'export-sshconfig',
              label: 'Every host as ssh_config (copy)',
              icon: <FileCode size={14} />,
              onSelect: () => actions.exportConfig(tree?.hosts.map((host) => ({ kind: 'host' as const, host })) ?? []),
            },
          ]}
        />
      )}
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
