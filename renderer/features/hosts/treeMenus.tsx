import {
  Copy,
  FileCode,
  FolderInput,
  FolderTree,
  Pencil,
  Play,
  Plug,
  RefreshCw,
  Square,
  SquareTerminal,
  Star,
  StarOff,
  Stethoscope,
  Tag,
  Trash2,
} from 'lucide-react';
import type { HostRecord } from '../../../shared/model.js';
import type { MenuEntry } from '../../lib/ContextMenu.js';
import type { TunnelCount } from '../tunnels/TunnelStatuses.js';
import type { TreeItem } from './TreeRows.js';
import type { DragItem } from './useTreeDnd.js';

/** Everything the tree's rows and menus can ask the sidebar to do. */
export interface TreeActions {
  connect(host: HostRecord): void;
  /** the host's files, in the Files view */
  sftp(host: HostRecord): void;
  /** "copy as ssh command" */
  copyCommand(host: HostRecord): void;
  /** the connection doctor */
  diagnose(host: HostRecord): void;
  /** rotate the host's key (Keys) */
  rotate(host: HostRecord): void;
  edit(item: TreeItem): void;
  duplicate(host: HostRecord): void;
  favourite(host: HostRecord, on: boolean): void;
  move(item: DragItem, parentId: string | null): void;
  startTunnels(host: HostRecord): void;
  stopTunnels(host: HostRecord): void;
  /** for a selection (one item or many) */
  remove(items: TreeItem[]): void;
  moveTo(items: TreeItem[]): void;
  tag(hosts: HostRecord[]): void;
  connectAll(hosts: HostRecord[]): void;
  exportConfig(items: TreeItem[]): void;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** The menu of one host: its primary action first, the rest labelled, deleting last. */
export function hostMenu(host: HostRecord, tunnels: TunnelCount | undefined, a: TreeActions): MenuEntry[] {
  const item: TreeItem = { kind: 'host', host };
  return [
    { id: 'menu-connect', label: 'Connect', hint: 'Enter', icon: <Plug size={14} />, onSelect: () => a.connect(host) },
    { id: 'row-sftp', label: 'Open files (SFTP)', icon: <FolderTree size={14} />, onSelect: () => a.sftp(host) },
    ...(tunnels && tunnels.on < tunnels.total
      ? [{ id: 'row-tunnels-start', label: `Start tunnels (${tunnels.total - tunnels.on})`, icon: <Play size={14} />, onSelect: () => a.startTunnels(host) }]
      : []),
    ...(tunnels && tunnels.on > 0
      ? [{ id: 'row-tunnels-stop', label: `Stop tunnels (${tunnels.on})`, icon: <Square size={13} />, onSelect: () => a.stopTunnels(host) }]
      : []),
    { id: 'row-diagnose', label: 'Diagnose the connection', icon: <Stethoscope size={14} />, onSelect: () => a.diagnose(host) },
    'separator',
    host.favourite
      ? { id: 'row-favourite', label: 'Remove from favourites', icon: <StarOff size={14} />, onSelect: () => a.favourite(host, false) }
      : { id: 'row-favourite', label: 'Add to favourites', icon: <Star size={14} />, onSelect: () => a.favourite(host, true) },
    { id: 'row-tag', label: 'Tags…', icon: <Tag size={14} />, onSelect: () => a.tag([host]) },
    { id: 'row-move', label: 'Move to group…', icon: <FolderInput size={14} />, onSelect: () => a.moveTo([item]) },
    { id: 'row-duplicate', label: 'Duplicate', icon: <Copy size={14} />, onSelect: () => a.duplicate(host) },
    { id: 'row-edit', label: 'Edit…', icon: <Pencil size={14} />, onSelect: () => a.edit(item) },
    'separator',
    { id: 'row-copy-command', label: 'Copy as ssh command', icon: <SquareTerminal size={14} />, onSelect: () => a.copyCommand(host) },
    { id: 'row-export', label: 'Copy as ssh_config', icon: <FileCode size={14} />, onSelect: () => a.exportConfig([item]) },
    { id: 'row-rotate', label: 'Rotate key…', icon: <RefreshCw size={14} />, onSelect: () => a.rotate(host) },
    'separator',
    { id: 'row-delete', label: 'Delete…', hint: 'Del', danger: true, icon: <Trash2 size={14} />, onSelect: () => a.remove([item]) },
  ];
}

/** The menu of one group. */
export function groupMenu(item: Extract<TreeItem, { kind: 'group' }>, hosts: HostRecord[], a: TreeActions): MenuEntry[] {
  return [
    ...(hosts.length > 0
      ? [{ id: 'row-connect-all', label: `Connect to all (${hosts.length})`, icon: <Plug size={14} />, onSelect: () => a.connectAll(hosts) }]
      : []),
    { id: 'row-edit', label: 'Edit group…', icon: <Pencil size={14} />, onSelect: () => a.edit(item) },
    { id: 'row-move', label: 'Move to group…', icon: <FolderInput size={14} />, onSelect: () => a.moveTo([item]) },
    { id: 'row-export', label: 'Copy as ssh_config', icon: <FileCode size={14} />, onSelect: () => a.exportConfig([item]) },
    'separator',
    { id: 'row-delete', label: 'Delete group…', hint: 'Del', danger: true, icon: <Trash2 size={14} />, onSelect: () => a.remove([item]) },
  ];
}

/** The menu of a selection of several rows. */
export function selectionMenu(items: TreeItem[], a: TreeActions): MenuEntry[] {
  const hosts = items.flatMap((i) => (i.kind === 'host' ? [i.host] : []));
  return [
    ...(hosts.length > 0
      ? [
          { id: 'bulk-connect', label: `Connect to ${plural(hosts.length, 'host')}`, icon: <Plug size={14} />, onSelect: () => a.connectAll(hosts) },
          { id: 'bulk-tag', label: `Tag ${plural(hosts.length, 'host')}…`, icon: <Tag size={14} />, onSelect: () => a.tag(hosts) },
        ]
      : []),
    { id: 'bulk-move', label: `Move ${plural(items.length, 'item')} to group…`, icon: <FolderInput size={14} />, onSelect: () => a.moveTo(items) },
    { id: 'bulk-export', label: 'Copy as ssh_config', icon: <FileCode size={14} />, onSelect: () => a.exportConfig(items) },
    'separator',
    {
      id: 'bulk-delete',
      label: `Delete ${plural(items.length, 'item')}…`,
      hint: 'Del',
      danger: true,
      icon: <Trash2 size={14} />,
      onSelect: () => a.remove(items),
    },
  ];
}
