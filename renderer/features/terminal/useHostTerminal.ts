import { useMemo } from 'react';
import type { TerminalTarget } from '../../../shared/model.js';
import type { TerminalSettings } from '../../../shared/settings.js';
import { effectiveTerminal } from '../../../shared/terminal-profile.js';
import { useTree } from '../hosts/TreeProvider.js';
import { useSettings } from '../settings/SettingsProvider.js';

/**
 * The terminal settings a pane of `target` uses: the app's, under its host's groups' and its own
 * (effectiveTerminal; a quick connect and a local shell have the app's). A change of any of them reaches the pane; the tree's
 * other changes keep the host record and the group list as they were, and so this object.
 */
export function useHostTerminal(target: TerminalTarget): TerminalSettings {
  const { terminal } = useSettings();
  const tree = useTree();
  const hostId = 'hostId' in target ? target.hostId : null;
  const host = hostId === null ? undefined : tree?.hosts.find((h) => h.id === hostId);
  const groups = tree?.groups;
  return useMemo(
    () => (host && groups ? effectiveTerminal(terminal, host.groupId, host.terminal, (id) => groups.find((g) => g.id === id)).settings : terminal),
    [terminal, host, groups],
  );
}
