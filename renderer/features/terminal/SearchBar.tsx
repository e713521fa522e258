import type { ISearchOptions, SearchAddon } from '@xterm/addon-search';
import { ChevronDown, ChevronUp, X } from 'lucide-react';
import { useEffect, useState } from 'react';
import { matches, SEARCH_KEYS, type Binding } from '../../lib/keybindings.js';

const decorations: ISearchOptions['decorations'] = {
  matchBackground: '#3b3f46',
  matchBorder: '#6b7280',
  matchOverviewRuler: '#d7ba7d',
  activeMatchBackground: '#5b4b1f',
  activeMatchBorder: '#e2c08d',
  activeMatchColorOverviewRuler: '#e2c08d',
};

type Flag = 'caseSensitive' | 'regex' | 'wholeWord';
const FLAGS: { flag: Flag; label: string; title: string }[] = [
  { flag: 'caseSensitive', label: 'Aa', title: 'Match case (Alt+C)' },
  { flag: 'wholeWord', label: 'W', title: 'Whole word (Alt+W)' },
  { flag: 'regex', label: '.*', title: 'Regular expression (Alt+R)' },
];
/** Alt+C / Alt+W / Alt+R (`SEARCH_KEYS`) */
const FLAG_KEYS: readonly { flag: Flag; binding: Binding }[] = [
  { flag: 'caseSensitive', binding: SEARCH_KEYS.caseSensitive },
  { flag: 'wholeWord', binding: SEARCH_KEYS.wholeWord },
  { flag: 'regex', binding: SEARCH_KEYS.regex },
];

/** why a pattern cannot be searched for (a regular expression that does not compile), else null */
function patternError(query: string, regex: boolean): string | null {
  if (!regex) return null;
  try {
    new RegExp(query);
    return null;
  } catch {
    return 'not a valid regular expression';
  }
}

/**
 * Ctrl+Shift+F: find in the scrollback. Enter = next, Shift+Enter = previous, Esc closes; match case, whole
 * word and regular expression are toggles (Alt+C / Alt+W / Alt+R), and the count says which match is shown.
 */
export function SearchBar({ search, onClose }: { search: SearchAddon; onClose(): void }) {
  const [query, setQuery] = useState('');
  const [flags, setFlags] = useState<Record<Flag, boolean>>({ caseSensitive: false, regex: false, wholeWord: false });
  const [results, setResults] = useState({ index: -1, count: 0 });
  const error = patternError(query, flags.regex);

  useEffect(() => {
    const subscription = search.onDidChangeResults(({ resultIndex, resultCount }) => setResults({ index: resultIndex, count: resultCount }));
    return () => {
      subscription.dispose();
      search.clearDecorations();
    };
  }, [search]);

  const run = (text: string, with_: Record<Flag, boolean>, direction: 'next' | 'previous' | 'incremental') => {
    if (text === '' || patternError(text, with_.regex) !== null) {
      search.clearDecorations();
      setResults({ index: -1, count: 0 });
      return;
    }
    const options = { ...with_, decorations, incremental: direction === 'incremental' };
    if (direction === 'previous') search.findPrevious(text, options);
    else search.findNext(text, options);
  };
  const toggle = (flag: Flag) => {
    const next = { ...flags, [flag]: !flags[flag] };
    setFlags(next);
    // the addon (0.16) records new options before it compares them with the last ones, so on its own it
    // keeps the old matches: forgetting the term makes it highlight and count again
    search.clearDecorations();
    run(query, next, 'incremental');
  };

  return (
    <div className="term-search" role="search">
      <input
        data-testid="term-search"
        value={query}
        placeholder="Find"
        aria-label="Find in terminal"
        aria-invalid={error !== null}
        title={error ?? undefined}
        autoFocus
        spellCheck={false}
        onChange={(e) => {
          setQuery(e.target.value);
          run(e.target.value, flags, 'incremental');
        }}
        onKeyDown={(e) => {
          const flag = FLAG_KEYS.find((f) => f.binding.chords.some((c) => matches(e, c)))?.flag;
          if (flag) {
            e.preventDefault();
            toggle(flag);
          } else if (SEARCH_KEYS.close.chords.some((c) => matches(e, c))) onClose();
          else if (SEARCH_KEYS.next.chords.some((c) => matches(e, c))) run(query, flags, 'next');
          else if (SEARCH_KEYS.previous.chords.some((c) => matches(e, c))) run(query, flags, 'previous');
        }}
      />
      {FLAGS.map(({ flag, label, title }) => (
        <button
          key={flag}
          type="button"
          className="term-search-flag"
          data-testid={`term-search-${flag}`}
          aria-pressed={flags[flag]}
          title={title}
          onClick={() => toggle(flag)}
        >
          {label}
        </button>
      ))}
      <span className="term-search-count" data-testid="term-search-count">
        {error ?? (results.count === 0 ? 'no matches' : results.index >= 0 ? `${results.index + 1} of ${results.count}` : `${results.count} matches`)}
      </span>
      <button type="button" className="icon-button" aria-label="Previous match" title="Previous (Shift+Enter)" onClick={() => run(query, flags, 'previous')}>
        <ChevronUp size={14} />
      </button>
      <button type="button" className="icon-button" aria-label="Next match" title="Next (Enter)" onClick={() => run(query, flags, 'next')}>
        <ChevronDown size={14} />
      </button>
      <button type="button" className="icon-button" aria-label="Close search" onClick={onClose}>
        <X size={14} />
      </button>
    </div>
  );
}
