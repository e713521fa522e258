import { ArrowLeftRight, ChevronDown, ChevronRight, Folder, FolderOpen, MoreHorizontal, Plug, Server, Star } from 'lucide-react';
import { memo, type DragEvent, type MouseEvent } from 'react';
import type { Group, HostRecord } from '../../../shared/model.js';
import { visible } from '../../../shared/untrusted.js';
import type { TunnelCount } from '../tunnels/TunnelStatuses.js';
import type { Row } from './treeModel.js';
import type { DragItem } from './useTreeDnd.js';

export type TreeItem = { kind: 'host'; host: HostRecord } | { kind: 'group'; group: Group };

/** What a row can do; HostTree keeps these stable so that rows re-render only when their own props change. */
export interface RowHandlers {
  click(row: Row, e: MouseEvent): void;
  doubleClick(row: Row): void;
  /** right-click, or the row's "more" button (`at` is where the menu opens) */
  menu(row: Row, at: { x: number; y: number }): void;
  connect(host: HostRecord): void;
  dragSource(item: DragItem): { draggable: boolean; onDragStart(e: DragEvent): void; onDragEnd(): void };
  dropTarget(parentId: string | null): { onDragOver(e: DragEvent): void; onDragLeave(e: DragEvent): void; onDrop(e: DragEvent): void };
  tagColor(tag: string): string;
  /** its own colour or its group's, null for none (read when the row renders: a group's change rebuilds the rows) */
  hostColor(host: HostRecord): string | null;
}

interface TreeRowProps {
  row: Row;
  id: string;
  active: boolean;
  selected: boolean;
  /** a drag is over this group (or over the group this host is in) */
  dropOver: boolean;
  tunnels: TunnelCount | undefined;
  handlers: RowHandlers;
}

const indent = (depth: number) => ({ paddingLeft: 6 + depth * 14 });

/** One line of the tree: a section heading, a group or a host. Drawn inside the virtual list. */
export const TreeRow = memo(function TreeRow({ row, id, active, selected, dropOver, tunnels, handlers }: TreeRowProps) {
  if (row.kind === 'section') {
    return (
      <div className="tree-section" role="presentation" data-testid="tree-section" data-section={row.key}>
        {row.label}
        {row.count !== undefined && <span className="tree-section-count">{row.count}</span>}
      </div>
    );
  }
  const classes = ['tree-row', active && 'active', selected && 'selected', dropOver && (row.kind === 'group' ? 'drop-over' : 'in-drop')]
    .filter(Boolean)
    .join(' ');
  const openMenu = (e: MouseEvent) => {
    e.preventDefault();
    e.stopPropagation();
    handlers.menu(row, { x: e.clientX, y: e.clientY });
  };
  const menuButton = (label: string) => (
    <button
      type="button"
      className="icon-button row-more"
      data-testid="row-menu"
      title={`More actions for ${label}`}
      aria-label={`More actions for ${label}`}
      tabIndex={-1}
      onClick={(e) => {
        e.stopPropagation();
        const r = e.currentTarget.getBoundingClientRect();
        handlers.menu(row, { x: r.left, y: r.bottom });
      }}
      onDoubleClick={(e) => e.stopPropagation()}
    >
      <MoreHorizontal size={14} />
    </button>
  );

  if (row.kind === 'group') {
    const { group } = row.node;
    const name = visible(group.name);
    const Chevron = row.open ? ChevronDown : ChevronRight;
    const Icon = row.open ? FolderOpen : Folder;
    return (
      <div
        id={id}
        className={classes}
        data-testid="group-row"
        data-name={group.name}
        role="treeitem"
        aria-level={row.depth + 1}
        aria-expanded={row.open}
        aria-selected={selected}
        style={indent(row.depth)}
        title={`${name} — ${row.node.count} host${row.node.count === 1 ? '' : 's'}`}
        onClick={(e) => handlers.click(row, e)}
        onContextMenu={openMenu}
        {...handlers.dragSource({ kind: 'group', id: group.id })}
        {...handlers.dropTarget(group.id)}
      >
        <Chevron className="row-chevron" size={14} />
        <Icon className="row-icon group-icon" size={15} />
        <span className="row-name">{name}</span>
        <span className="row-detail">{row.node.count}</span>
        <span className="row-actions">{menuButton(name)}</span>
      </div>
    );
  }

  const { host } = row;
  // names, notes and tags may come from an imported file or ssh_config: controls and direction marks show as escapes
  const name = visible(host.name);
  const address = visible(`${host.user ? `${host.user}@` : ''}${host.hostname}${host.port ? `:${host.port}` : ''}`);
  const tags = host.tags ?? [];
  const color = handlers.hostColor(host);
  return (
    <div
      id={id}
      className={classes}
      data-testid="host-row"
      data-name={host.name}
      data-section={row.key.includes(':') ? row.key.slice(0, row.key.indexOf(':')) : undefined}
      role="treeitem"
      aria-level={row.depth + 1}
      aria-selected={selected}
      data-color={color ?? undefined}
      style={color ? ({ ...indent(row.depth), '--host-color': color } as React.CSSProperties) : indent(row.depth)}
      title={[
        name,
        address,
        row.where && `in ${visible(row.where)}`,
        tags.length > 0 && `tags: ${visible(tags.join(', '))}`,
        host.notes && visible(host.notes, { lines: true }),
      ]
        .filter(Boolean)
        .join('\n')}
      onClick={(e) => handlers.click(row, e)}
      onDoubleClick={() => handlers.doubleClick(row)}
      onContextMenu={openMenu}
      {...handlers.dragSource({ kind: 'host', id: host.id })}
      {...handlers.dropTarget(host.groupId)}
    >
      <span className="row-chevron" />
      {host.favourite ? <Star className="row-icon favourite-icon" size={15} aria-label="favourite" /> : <Server className="row-icon host-icon" size={15} />}
      <span className="row-name">{name}</span>
      {tags.slice(0, 2).map((tag) => (
        <span key={tag} className="row-tag" data-testid="row-tag" style={{ '--tag': handlers.tagColor(tag) } as React.CSSProperties}>
          {visible(tag)}
        </span>
      ))}
      {tags.length > 2 && <span className="row-tag more">+{tags.length - 2}</span>}
      <span className="row-detail">{visible(row.where ?? host.hostname)}</span>
      {tunnels && <TunnelBadge count={tunnels} />}
      <span className="row-actions">
        <button
          type="button"
          className="row-primary"
          data-testid="row-connect"
          title={`Connect to ${name} (Enter)`}
          tabIndex={-1}
          onClick={(e) => {
            e.stopPropagation();
            handlers.connect(host);
          }}
          onDoubleClick={(e) => e.stopPropagation()}
        >
          <Plug size={13} /> Connect
        </button>
        {menuButton(name)}
      </span>
    </div>
  );
});

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
