import { RotateCcw } from 'lucide-react';
import { useState } from 'react';
import { DEFAULT_TERMINAL_SETTINGS, FONT_SIZE, TerminalSettings } from '../../../shared/settings.js';
import { SnippetsSettings } from '../snippets/SnippetsSettings.js';
import { CustomColors } from './CustomColors.js';
import { KeysTable } from './KeysTable.js';
import { useSettings } from './SettingsProvider.js';
import './settings.css';

type NumberKey = 'fontSize' | 'lineHeight' | 'scrollback';
const CURSOR_STYLES: [TerminalSettings['cursorStyle'], string][] = [
  ['block', 'Block'],
  ['underline', 'Underline'],
  ['bar', 'Bar'],
];
const RENDERERS: [TerminalSettings['renderer'], string][] = [
  ['auto', 'Automatic'],
  ['webgl', 'WebGL'],
  ['dom', 'DOM'],
];
const BELLS: [TerminalSettings['bell'], string][] = [
  ['visual', 'Flash the terminal'],
  ['sound', 'A short tone'],
  ['none', 'Nothing'],
];
const RIGHT_CLICKS: [TerminalSettings['rightClick'], string][] = [
  ['menu', 'Opens the menu'],
  ['paste', 'Pastes'],
  ['copyPaste', 'Copies the selection, else pastes'],
];
const THEMES: [TerminalSettings['theme'], string][] = [
  ['dark', 'Dark'],
  ['light', 'Light (the app too)'],
  ['high-contrast', 'High contrast'],
  ['custom', 'Custom colours'],
];

/** The Settings view: how terminals look and behave. A change is saved and applied to every open terminal at once. */
export function SettingsView() {
  const { terminal, setTerminal } = useSettings();
  return (
    <div className="dashboard" data-testid="settings-view">
      <div className="dashboard-toolbar">
        <h2>Settings</h2>
        <span className="spacer" />
        <button type="button" data-testid="settings-reset" onClick={() => setTerminal(DEFAULT_TERMINAL_SETTINGS)}>
          <RotateCcw size={14} /> Reset terminal settings
        </button>
      </div>
      <div className="settings-body">
        <div className="form-grid">
          <div className="form-section">Terminal</div>
          <div className="field field-wide">
            <label>
              <span className="field-label">Font family</span>
              <TextSetting name="fontFamily" value={terminal.fontFamily} onCommit={(fontFamily) => setTerminal({ fontFamily })} />
            </label>
            <span className="field-help">A CSS font list, first installed font wins. In a terminal the font-size keys (below) change the size.</span>
          </div>
          <NumberSetting
            name="fontSize"
            label={`Font size (${FONT_SIZE.min}–${FONT_SIZE.max} px)`}
            value={terminal.fontSize}
            step={1}
            onCommit={(fontSize) => setTerminal({ fontSize })}
          />
          <NumberSetting
            name="lineHeight"
            label="Line height (1–2)"
            value={terminal.lineHeight}
            step={0.05}
            onCommit={(lineHeight) => setTerminal({ lineHeight })}
          />
          <ChoiceSetting
            name="cursorStyle"
            label="Cursor"
            value={terminal.cursorStyle}
            choices={CURSOR_STYLES}
            onChange={(cursorStyle) => setTerminal({ cursorStyle })}
          />
          <label className="checkbox settings-check">
            <input type="checkbox" name="cursorBlink" checked={terminal.cursorBlink} onChange={(e) => setTerminal({ cursorBlink: e.target.checked })} />{' '}
            Blinking cursor
          </label>
          <NumberSetting
            name="scrollback"
            label="Scrollback (lines)"
            value={terminal.scrollback}
            step={1000}
            onCommit={(scrollback) => setTerminal({ scrollback })}
          />
          <label className="checkbox settings-check">
            <input type="checkbox" name="copyOnSelect" checked={terminal.copyOnSelect} onChange={(e) => setTerminal({ copyOnSelect: e.target.checked })} /> Copy
            on select
          </label>
          <label
            className="checkbox settings-check"
            title="After a reload or a restart, the tabs, their splits and their shells' directories come back, and reconnect"
          >
            <input
              type="checkbox"
              name="restoreWorkspace"
              checked={terminal.restoreWorkspace}
              onChange={(e) => setTerminal({ restoreWorkspace: e.target.checked })}
            />{' '}
            Restore the workspace
          </label>
          <label className="checkbox settings-check" title="Closing a tab, a pane or the window whose shells are still connected asks first">
            <input type="checkbox" name="confirmClose" checked={terminal.confirmClose} onChange={(e) => setTerminal({ confirmClose: e.target.checked })} /> Ask
            before closing live sessions
          </label>
          <ChoiceSetting
            name="rightClick"
            label="Right click"
            title="Shift+right-click always opens the menu"
            value={terminal.rightClick}
            choices={RIGHT_CLICKS}
            onChange={(rightClick) => setTerminal({ rightClick })}
          />
          <ChoiceSetting name="theme" label="Theme" value={terminal.theme} choices={THEMES} onChange={(theme) => setTerminal({ theme })} />
          {terminal.theme === 'custom' && <CustomColors custom={terminal.customTheme} onChange={(customTheme) => setTerminal({ customTheme })} />}
          <ChoiceSetting
            name="renderer"
            label="Renderer"
            title="Automatic: WebGL, or DOM when the GPU is emulated in software"
            value={terminal.renderer}
            choices={RENDERERS}
            onChange={(renderer) => setTerminal({ renderer })}
          />
          <ChoiceSetting name="bell" label="Bell (^G)" value={terminal.bell} choices={BELLS} onChange={(bell) => setTerminal({ bell })} />
          <div className="field">
            <label>
              <span className="field-label">Word separators</span>
              <TextSetting name="wordSeparators" value={terminal.wordSeparators} onCommit={(wordSeparators) => setTerminal({ wordSeparators })} />
            </label>
            <span className="field-help">A double-click selects up to these characters.</span>
          </div>
          <div className="form-section">New shells</div>
          <div className="field">
            <label>
              <span className="field-label">Terminal type (TERM)</span>
              <TextSetting name="termType" value={terminal.termType} onCommit={(termType) => setTerminal({ termType })} />
            </label>
          </div>
          <div className="field field-wide">
            <label>
              <span className="field-label">Locale</span>
              <TextSetting name="locale" value={terminal.locale} onCommit={(locale) => setTerminal({ locale })} />
            </label>
            <span className="field-help">
              <code>local</code>: this machine's LANG and LC_* (in browser mode, the server's), as ssh's <code>SendEnv LANG LC_*</code>; <code>none</code>:
              nothing; or a name sent as LANG, e.g. <code>C.UTF-8</code>. The server keeps them only if its AcceptEnv allows.
            </span>
          </div>
        </div>
        <SnippetsSettings />
        <KeysTable />
      </div>
    </div>
  );
}

/**
 * A draft that follows the saved value (a key press in a terminal, another window) and is saved as soon as
 * the schema takes it; until then it is only marked invalid.
 */
function useDraft<T>(value: T, format: (v: T) => string) {
  const [draft, setDraft] = useState(() => format(value));
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setDraft(format(value));
  }
  return [draft, setDraft] as const;
}

function NumberSetting({ name, label, value, step, onCommit }: { name: NumberKey; label: string; value: number; step: number; onCommit(v: number): void }) {
  const [draft, setDraft] = useDraft(value, String);
  const parsed = TerminalSettings.shape[name].safeParse(draft.trim() === '' ? NaN : Number(draft));
  return (
    <div className="field">
      <label>
        <span className="field-label">{label}</span>
        <input
          type="number"
          name={name}
          step={step}
          value={draft}
          aria-invalid={!parsed.success}
          onChange={(e) => {
            setDraft(e.target.value);
            const next = TerminalSettings.shape[name].safeParse(Number(e.target.value));
            if (e.target.value.trim() !== '' && next.success && next.data !== value) onCommit(next.data);
          }}
        />
      </label>
    </div>
  );
}

type ChoiceKey = 'cursorStyle' | 'theme' | 'renderer' | 'bell' | 'rightClick';
function ChoiceSetting<K extends ChoiceKey>({
  name,
  label,
  title,
  value,
  choices,
  onChange,
}: {
  name: K;
  label: string;
  title?: string;
  value: TerminalSettings[K];
  choices: [TerminalSettings[K], string][];
  onChange(v: TerminalSettings[K]): void;
}) {
  return (
    <div className="field" title={title}>
      <label>
        <span className="field-label">{label}</span>
        <select
          name={name}
          value={value}
          // only the listed values are offered; the schema has the last word
          onChange={(e) => onChange(TerminalSettings.shape[name].parse(e.target.value) as TerminalSettings[K])}
        >
          {choices.map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

function TextSetting({ name, value, onCommit }: { name: 'fontFamily' | 'wordSeparators' | 'termType' | 'locale'; value: string; onCommit(v: string): void }) {
  const [draft, setDraft] = useDraft(value, (v) => v);
  const parsed = TerminalSettings.shape[name].safeParse(draft);
  const commit = () => {
    if (parsed.success && parsed.data !== value) onCommit(parsed.data);
  };
  return (
    <input
      name={name}
      value={draft}
      spellCheck={false}
      aria-invalid={!parsed.success}
      title={parsed.success ? undefined : parsed.error.issues[0]?.message}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
      }}
    />
  );
}
