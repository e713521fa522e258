import { useMemo } from 'react';
import type { Tree } from '../../../shared/model.js';
import { countByHost, useTunnelStatuses } from '../tunnels/TunnelStatuses.js';
import { buildTree } from './treeModel.js';
import { BranchRows, type TreeActions } from './TreeRows.js';
import { useCollapsed } from './useCollapsed.js';
import { TOP, useTreeDnd } from './useTreeDnd.js';

interface HostTreeProps {
  tree: Tree;
  filter: string;
  actions: TreeActions;
}

/** Groups and hosts; a filter opens every group on the way to a match. Drop on empty space: top level. */
export function HostTree({ tree, filter, actions }: HostTreeProps) {
  const [collapsed, toggle] = useCollapsed();
  const dnd = useTreeDnd(actions.move);
  const root = useMemo(() => buildTree(tree, filter), [tree, filter]);
  const statuses = useTunnelStatuses();
  const tunnels = useMemo(() => countByHost(tree.tunnels, statuses), [tree.tunnels, statuses]);
  const filtering = filter.trim() !== '';
  const ctx = { actions, dnd, toggle, isOpen: (id: string) => filtering || !collapsed.has(id), tunnelCount: (id: string) => tunnels.get(id) };
  const empty = root.groups.length === 0 && root.hosts.length === 0;

  return (
    <div className="tree" data-testid="tree" role="tree" {...dnd.dropTarget(null)}>
      <BranchRows branch={root} depth={0} ctx={ctx} />
      {empty && (
        <p className="tree-empty">{filtering ? `No host matches “${filter.trim()}”.` : 'No hosts yet. Add one with New host, or quick-connect above.'}</p>
      )}
      <div className={dnd.over === TOP ? 'tree-root-drop drop-over' : 'tree-root-drop'} data-testid="tree-root-drop" {...dnd.dropTarget(null)}>
        Drop here to move to the top level
      </div>
    </div>
  );
}
