import { describe, expect, it } from 'vitest';
import type { Group } from '../../../../shared/model.js';
import { DEFAULT_TERMINAL_SETTINGS as D } from '../../../../shared/settings.js';
import { fromTerminalForm, inheritedTerminal, terminalChange, toTerminalForm } from '../../../../renderer/features/hosts/terminalForm.js';

describe('the Terminal section’s form', () => {
  it('holds an override as text, empty for inherit, and gives back only what is set (the size as a number)', () => {
    const form = toTerminalForm({ fontSize: 20, theme: 'high-contrast' });
    expect(form).toMatchObject({ fontSize: '20', theme: 'high-contrast', termType: '', locale: '' });
    expect(fromTerminalForm({ ...form, termType: ' vt100 ' })).toEqual({ fontSize: 20, theme: 'high-contrast', termType: 'vt100' });
    expect(fromTerminalForm(toTerminalForm(undefined))).toBeUndefined();
  });

  it('an update sends the new override, null once nothing is set any more, nothing when unchanged', () => {
    const initial = toTerminalForm({ bell: 'none' });
    expect(terminalChange(initial, { ...initial })).toBeUndefined();
    expect(terminalChange(initial, { ...initial, bell: 'sound' })).toEqual({ bell: 'sound' });
    expect(terminalChange(initial, { ...initial, bell: '' })).toBeNull();
  });

  it('says what a field inherits and from where: the nearest group that sets it, else Settings', () => {
    const groups: Group[] = [
      { id: 'p', name: 'prod', parentId: null, defaults: {}, terminal: { fontSize: 20, theme: 'light' } },
      { id: 'd', name: 'db', parentId: 'p', defaults: {}, terminal: { fontSize: 16 } },
    ];
    const inherited = inheritedTerminal(D, 'd', groups);
    expect(inherited.fontSize).toEqual({ value: '16', from: 'group db' });
    expect(inherited.theme).toEqual({ value: 'light', from: 'group prod' });
    expect(inherited.termType).toEqual({ value: D.termType, from: 'Settings' });
    expect(inheritedTerminal(D, null, groups).fontSize).toEqual({ value: String(D.fontSize), from: 'Settings' });
  });
});
