import {
  ArrowLeftRight,
  ChevronDown,
  ChevronRight,
  Folder,
  FolderOpen,
  FolderTree,
  Pencil,
  Play,
  Plug,
  RefreshCw,
  Server,
  Square,
  SquareTerminal,
  Stethoscope,
  Trash2,
} from 'lucide-react';
import type { KeyboardEvent, MouseEvent, ReactNode } from 'react';
import type { Group, HostRecord } from '../../../shared/model.js';
import type { TunnelCount } from '../tunnels/TunnelStatuses.js';
import type { Branch, GroupNode } from './treeModel.js';
import { TOP, type DragItem, type useTreeDnd } from './useTreeDnd.js';

export type TreeItem = { kind: 'host'; host: HostRecord } | { kind: 'group'; group: Group };

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
  remove(item: TreeItem): void;
  move(item: DragItem, parentId: string | null): void;
  startTunnels(host: HostRecord): void;
  stopTunnels(host: HostRecord): void;
}

/** What every row needs from the tree around it. */
interface TreeContext {
  actions: TreeActions;
  dnd: ReturnType<typeof useTreeDnd>;
  isOpen(groupId: string): boolean;
  toggle(groupId: string): void;
  tunnelCount(hostId: string): TunnelCount | undefined;
}

const indent = (depth: number) => ({ paddingLeft: 6 + depth * 14 });

const countHosts = (node: Branch): number => node.hosts.length + node.groups.reduce((n, g) => n + countHosts(g), 0);

export function BranchRows({ branch, depth, ctx }: { branch: Branch; depth: number; ctx: TreeContext }) {
  return (
    <>
      {branch.groups.map((node) => (
        <GroupRows key={node.group.id} node={node} depth={depth} ctx={ctx} />
      ))}
      {branch.hosts.map((host) => (
        <HostRow key={host.id} host={host} depth={depth} ctx={ctx} />
      ))}
    </>
  );
}

function GroupRows({ node, depth, ctx }: { node: GroupNode; depth: number; ctx: TreeContext }) {
  const { group } = node;
  const open = ctx.isOpen(group.id);
  const Chevron = open ? ChevronDown : ChevronRight;
  const Icon = open ? FolderOpen : Folder;
  const item: TreeItem = { kind: 'group', group };
  return (
    <>
      <div
        className={ctx.dnd.over === group.id ? 'tree-row drop-over' : 'tree-row'}
        data-testid="group-row"
        data-name={group.name}
        role="treeitem"
        aria-level={depth + 1}
        aria-expanded={open}
        tabIndex={0}
        style={indent(depth)}
        onClick={() => ctx.toggle(group.id)}
        onKeyDown={onEnter(() => ctx.toggle(group.id))}
        {...ctx.dnd.dragSource({ kind: 'group', id: group.id })}
        {...ctx.dnd.dropTarget(group.id)}
      >
        <Chevron className="row-chevron" size={14} />
        <Icon className="row-icon group-icon" size={15} />
        <span className="row-name">{group.name}</span>
        <span className="row-detail">{countHosts(node)}</span>
        <RowActions>
          <RowButton testId="row-edit" title="Edit group" onClick={() => ctx.actions.edit(item)}>
            <Pencil size={14} />
          </RowButton>
          <RowButton testId="row-delete" title="Delete group" onClick={() => ctx.actions.remove(item)}>
            <Trash2 size={14} />
          </RowButton>
        </RowActions>
      </div>
      {open && <BranchRows branch={node} depth={depth + 1} ctx={ctx} />}
    </>
  );
}

function HostRow({ host, depth, ctx }: { host: HostRecord; depth: number; ctx: TreeContext }) {
  const item: TreeItem = { kind: 'host', host };
  const connect = () => ctx.actions.connect(host);
  const tunnels = ctx.tunnelCount(host.id);
  return (
    <div
      className={ctx.dnd.over === (host.groupId ?? TOP) ? 'tree-row in-drop' : 'tree-row'}
      data-testid="host-row"
      data-name={host.name}
      role="treeitem"
      aria-level={depth + 1}
      tabIndex={0}
      style={indent(depth)}
      title={`${host.user ? `${host.user}@` : ''}${host.hostname}${host.port ? `:${host.port}` : ''}`}
      onDoubleClick={connect}
      onKeyDown={onEnter(connect)}
      {...ctx.dnd.dragSource({ kind: 'host', id: host.id })}
      {...ctx.dnd.dropTarget(host.groupId)}
    >
      <span className="row-chevron" />
      <Server className="row-icon host-icon" size={15} />
      <span className="row-name">{host.name}</span>
      <span className="row-detail">{host.hostname}</span>
      {tunnels && <TunnelBadge count={tunnels} />}
      <RowActions>
        <RowButton testId="row-connect" title="Connect" onClick={connect}>
          <Plug size={14} />
        </RowButton>
        <RowButton testId="row-sftp" title="SFTP: browse files" onClick={() => ctx.actions.sftp(host)}>
          <FolderTree size={14} />
        </RowButton>
        {tunnels && tunnels.on < tunnels.total && (
          <RowButton testId="row-tunnels-start" title="Start tunnels" onClick={() => ctx.actions.startTunnels(host)}>
            <Play size={14} />
          </RowButton>
        )}
        {tunnels && tunnels.on > 0 && (
          <RowButton testId="row-tunnels-stop" title="Stop tunnels" onClick={() => ctx.actions.stopTunnels(host)}>
            <Square size={13} />
          </RowButton>
        )}
        <RowButton testId="row-diagnose" title="Diagnose the connection" onClick={() => ctx.actions.diagnose(host)}>
          <Stethoscope size={14} />
        </RowButton>
        <RowButton testId="row-rotate" title="Rotate key" onClick={() => ctx.actions.rotate(host)}>
          <RefreshCw size={14} />
        </RowButton>
        <RowButton testId="row-copy-command" title="Copy as ssh command" onClick={() => ctx.actions.copyCommand(host)}>
          <SquareTerminal size={14} />
        </RowButton>
        <RowButton testId="row-edit" title="Edit host" onClick={() => ctx.actions.edit(item)}>
          <Pencil size={14} />
        </RowButton>
        <RowButton testId="row-delete" title="Delete host" onClick={() => ctx.actions.remove(item)}>
          <Trash2 size={14} />
        </RowButton>
      </RowActions>
    </div>
  );
}

/** "⇄ 1/2": how many of the host's tunnels are up; green when all are, amber when some are on but not up. */
function TunnelBadge({ count }: { count: TunnelCount }) {
  const tone = count.up === count.total ? 'all-up' : count.on > count.up ? 'pending' : 'idle';
  return (
    <span
      className={`row-tunnels ${tone}`}
      data-testid="row-tunnels"
      data-up={count.up}
      data-total={count.total}
      title={`${count.up} of ${count.total} tunnels up`}
    >
      <ArrowLeftRight size={11} />
      {count.up}/{count.total}
    </span>
  );
}

const onEnter = (action: () => void) => (e: KeyboardEvent) => {
  if (e.key !== 'Enter' || e.target !== e.currentTarget) return;
  e.preventDefault();
  action();
};

/** The hover actions; clicks here never reach the row (no toggle, no double-click connect). */
function RowActions({ children }: { children: ReactNode }) {
  const stop = (e: MouseEvent) => e.stopPropagation();
  return (
    <span className="row-actions" onClick={stop} onDoubleClick={stop}>
      {children}
    </span>
  );
}

function RowButton({ testId, title, onClick, children }: { testId: string; title: string; onClick(): void; children: ReactNode }) {
  return (
    <button type="button" className="icon-button" data-testid={testId} title={title} aria-label={title} onClick={onClick}>
      {children}
    </button>
  );
}
