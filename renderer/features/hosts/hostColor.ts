import { useMemo } from 'react';
import type { Group, HostRecord, TerminalTarget } from '../../../shared/model.js';
import { useTree } from './TreeProvider.js';
import { ancestry } from './treeModel.js';

/** A host's colour: its own, else its nearest group's; `none` on the way turns it off. Null: none. */
export function hostColor(host: Pick<HostRecord, 'color' | 'groupId'>, groups: Group[]): string | null {
  const set = host.color ?? ancestry(host.groupId, groups).find((g) => g.defaults.color !== undefined)?.defaults.color;
  return set === undefined || set === 'none' ? null : set;
}

/** The colour of what a tab connects to: a saved host's (a quick connect and a local shell have none). */
export function useTargetColor(): (target: TerminalTarget) => string | null {
  const tree = useTree();
  const hosts = tree?.hosts;
  const groups = tree?.groups;
  return useMemo(() => {
    const byId = new Map(hosts?.map((h) => [h.id, h]));
    return (target) => {
      const host = 'hostId' in target ? byId.get(target.hostId) : undefined;
      return host && groups ? hostColor(host, groups) : null;
    };
  }, [hosts, groups]);
}
