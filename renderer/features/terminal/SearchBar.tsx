import type { SearchAddon } from '@xterm/addon-search';
import { X } from 'lucide-react';
import { useEffect, useState } from 'react';

const options = {
  decorations: {
    matchBackground: '#3b3f46',
    matchBorder: '#6b7280',
    matchOverviewRuler: '#d7ba7d',
    activeMatchBackground: '#5b4b1f',
    activeMatchBorder: '#e2c08d',
    activeMatchColorOverviewRuler: '#e2c08d',
  },
};

/** Ctrl+Shift+F: find in the scrollback. Enter = next, Shift+Enter = previous, Esc closes. */
export function SearchBar({ search, onClose }: { search: SearchAddon; onClose(): void }) {
  const [query, setQuery] = useState('');
  const [count, setCount] = useState(0);

  useEffect(() => {
    const subscription = search.onDidChangeResults(({ resultCount }) => setCount(resultCount));
    return () => {
      subscription.dispose();
      search.clearDecorations();
    };
  }, [search]);

  const find = (text: string) => {
    setQuery(text);
    if (text === '') {
      search.clearDecorations();
      setCount(0);
    } else {
      search.findNext(text, { ...options, incremental: true });
    }
  };

  return (
    <div className="term-search" role="search">
      <input
        data-testid="term-search"
        value={query}
        placeholder="Find"
        aria-label="Find in terminal"
        autoFocus
        spellCheck={false}
        onChange={(e) => find(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
          else if (e.key === 'Enter' && query !== '') {
            if (e.shiftKey) search.findPrevious(query, options);
            else search.findNext(query, options);
          }
        }}
      />
      <span className="term-search-count" data-testid="term-search-count">
        {count === 1 ? '1 match' : `${count} matches`}
      </span>
      <button type="button" className="icon-button" aria-label="Close search" onClick={onClose}>
        <X size={14} />
      </button>
    </div>
  );
}
