import { useCallback } from 'react';
import type { Target, TerminalTarget } from '../../../shared/model.js';
import type { TerminalSettings } from '../../../shared/settings.js';
import { keyHint, TERMINAL_KEYS } from '../../lib/keybindings.js';
import { useDoctor } from '../doctor/DoctorProvider.js';
import { groupPaths } from '../hosts/search.js';
import { useTree } from '../hosts/TreeProvider.js';
import { useSettings } from '../settings/SettingsProvider.js';
import type { View } from '../shell/ViewSwitch.js';
import { isOn, useTunnelStatuses } from '../tunnels/TunnelStatuses.js';
import { useTunnelActions } from '../tunnels/useTunnelActions.js';
import { snippetsFor } from '../../../shared/snippets.js';
import { activeTerminal } from '../snippets/activeTerminal.js';
import { useSnippetRunner } from '../snippets/SnippetRunner.js';
import { bindingText, TAB_KEYS } from '../../lib/keybindings.js';
import { LOCAL_TITLE, localShellNote } from '../terminal/tabs.js';
import type { Command } from './commands.js';

interface Actions {
  connect(target: TerminalTarget, title: string): void;
  openFiles(target: Target, title: string): void;
  setView(view: View): void;
}

const VIEWS: [View, string][] = [
  ['terminals', 'Terminals'],
  ['files', 'Files'],
  ['tunnels', 'Tunnels'],
  ['keys', 'Keys'],
  ['settings', 'Settings'],
];
const THEMES: [TerminalSettings['theme'], string][] = [
  ['dark', 'dark'],
  ['light', 'light'],
  ['high-contrast', 'high contrast'],
  ['custom', 'custom colours'],
];

/** Everything the palette offers, made when it opens (10,000 hosts: 30,000 commands, built in milliseconds). */
export function usePaletteCommands({ connect, openFiles, setView }: Actions): () => Command[] {
  const tree = useTree();
  const statuses = useTunnelStatuses();
  const tunnels = useTunnelActions();
  const doctor = useDoctor();
  const { setTerminal, stepFontSize, snippets } = useSettings();
  const runner = useSnippetRunner();
  return useCallback(() => {
    const commands: Command[] = [
      {
        id: 'local-shell',
        kind: 'local',
        title: 'New local shell',
        detail: `${localShellNote() ?? 'a shell on this computer'} · ${bindingText(TAB_KEYS.localShell)}`,
        run: () => connect({ local: true }, LOCAL_TITLE),
      },
    ];
    const paths = groupPaths(tree?.groups ?? []);
    const hostName = new Map<string, string>();
    for (const h of tree?.hosts ?? []) {
      hostName.set(h.id, h.name);
      const target = { hostId: h.id };
      const where = [h.user ? `${h.user}@${h.hostname}` : h.hostname, h.groupId ? paths.get(h.groupId) : null].filter(Boolean).join(' · ');
      commands.push(
        { id: `connect:${h.id}`, kind: 'host', title: `Connect to ${h.name}`, detail: where, run: () => connect(target, h.name) },
        { id: `files:${h.id}`, kind: 'files', title: `Open files on ${h.name}`, detail: where, run: () => openFiles(target, h.name) },
        { id: `doctor:${h.id}`, kind: 'doctor', title: `Diagnose ${h.name}`, detail: where, run: () => doctor.diagnose(target, h.name) },
      );
    }
    for (const t of tree?.tunnels ?? []) {
      const on = isOn(statuses.get(t.id)?.state);
      commands.push({
        id: `tunnel:${t.id}`,
        kind: 'tunnel',
        title: `${on ? 'Stop' : 'Start'} tunnel ${t.name}`,
        detail: `${hostName.get(t.hostId) ?? ''} · ${statuses.get(t.id)?.state ?? 'stopped'}`,
        run: () => void (on ? tunnels.stop(t.id) : tunnels.start(t.id)),
      });
    }
    // snippets for the terminal a snippet would go to: its host's, its groups', everyone's
    const terminal = activeTerminal();
    if (terminal) {
      const host = tree?.hosts.find((h) => h.id === terminal.hostId);
      const chain: string[] = [];
      for (let g = host?.groupId ?? null; g !== null && !chain.includes(g); g = tree?.groups.find((x) => x.id === g)?.parentId ?? null) chain.push(g);
      for (const sn of snippetsFor(snippets, terminal.hostId, chain))
        commands.push({
          id: `snippet:${sn.id}`,
          kind: 'snippet',
          title: `Run snippet ${sn.name}`,
          detail: `${sn.command.split('\n')[0]} · in ${terminal.title}`,
          run: () => {
            setView('terminals');
            runner.run(sn);
          },
        });
    }
    for (const [view, name] of VIEWS) commands.push({ id: `view:${view}`, kind: 'view', title: `Go to ${name}`, run: () => setView(view) });
    for (const [theme, name] of THEMES) commands.push({ id: `theme:${theme}`, kind: 'setting', title: `Theme: ${name}`, run: () => setTerminal({ theme }) });
    commands.push(
      { id: 'font:bigger', kind: 'setting', title: 'Font: bigger', detail: keyHint(TERMINAL_KEYS.bigger), run: () => stepFontSize(1) },
      { id: 'font:smaller', kind: 'setting', title: 'Font: smaller', detail: keyHint(TERMINAL_KEYS.smaller), run: () => stepFontSize(-1) },
      { id: 'font:default', kind: 'setting', title: 'Font: default size', detail: keyHint(TERMINAL_KEYS.resetSize), run: () => stepFontSize(0) },
    );
    return commands;
  }, [tree, statuses, tunnels, doctor, setTerminal, stepFontSize, snippets, runner, connect, openFiles, setView]);
}
