import { RotateCcw } from 'lucide-react';
import { BuiltInTheme, CustomTheme, HexColor, THEME_COLORS, type ThemeColor } from '../../../shared/terminal-profile.js';
import { TERMINAL_THEMES } from './terminalThemes.js';

const LABELS: Record<ThemeColor, string> = {
  background: 'Background',
  foreground: 'Text',
  cursor: 'Cursor',
  selectionBackground: 'Selection',
  black: 'Black',
  red: 'Red',
  green: 'Green',
  yellow: 'Yellow',
  blue: 'Blue',
  magenta: 'Magenta',
  cyan: 'Cyan',
  white: 'White',
  brightBlack: 'Bright black',
  brightRed: 'Bright red',
  brightGreen: 'Bright green',
  brightYellow: 'Bright yellow',
  brightBlue: 'Bright blue',
  brightMagenta: 'Bright magenta',
  brightCyan: 'Bright cyan',
  brightWhite: 'Bright white',
};
const BASES: [BuiltInTheme, string][] = [
  ['dark', 'Dark'],
  ['light', 'Light (the app too)'],
  ['high-contrast', 'High contrast'],
];

/**
 * The custom theme's editor: the built-in theme it starts from, and a colour picker for each of its
 * colours (the base's until changed; a changed one is marked and can go back). Applied as it changes.
 */
export function CustomColors({ custom, onChange }: { custom: CustomTheme; onChange(c: CustomTheme): void }) {
  const base = TERMINAL_THEMES[custom.base];
  const set = (key: ThemeColor, value: string | null) => {
    const colors = { ...custom.colors };
    if (value === null) delete colors[key];
    else if (HexColor.safeParse(value).success) colors[key] = value.toLowerCase();
    else return;
    onChange({ ...custom, colors });
  };
  return (
    <div className="field field-wide custom-colors" data-testid="custom-colors">
      <div className="custom-colors-head">
        <label>
          <span className="field-label">Custom colours, starting from</span>
          <select name="customBase" value={custom.base} onChange={(e) => onChange({ ...custom, base: BuiltInTheme.parse(e.target.value) })}>
            {BASES.map(([v, text]) => (
              <option key={v} value={v}>
                {text}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          data-testid="custom-colors-reset"
          disabled={Object.keys(custom.colors).length === 0}
          onClick={() => onChange({ ...custom, colors: {} })}
        >
          <RotateCcw size={14} /> Back to the base&rsquo;s colours
        </button>
      </div>
      <div className="custom-colors-grid">
        {THEME_COLORS.map((key) => {
          const own = custom.colors[key];
          return (
            <label key={key} className="custom-color" data-changed={own !== undefined}>
              <input type="color" name={`color-${key}`} value={own ?? base[key] ?? '#000000'} onChange={(e) => set(key, e.target.value)} />
              <span>{LABELS[key]}</span>
              {own !== undefined && (
                <button type="button" className="icon-button" title={`Back to the base's ${LABELS[key].toLowerCase()}`} onClick={() => set(key, null)}>
                  <RotateCcw size={12} />
                </button>
              )}
            </label>
          );
        })}
      </div>
      <span className="field-help">Each colour applies to the open terminals at once; a group or a host can choose this theme too.</span>
    </div>
  );
}
