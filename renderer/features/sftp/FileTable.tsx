import { ChevronDown, ChevronUp } from 'lucide-react';
import type { KeyboardEvent } from 'react';
import type { Entry } from '../../../shared/sftp.js';
import type { Sort, SortKey } from './entries.js';
import { EntryRow, type EntryActions } from './EntryRow.js';
import { VirtualList } from './VirtualList.js';

/** px: every row is this tall, which is what lets the list render only the rows in view */
const ROW_HEIGHT = 26;

const COLUMNS: { key: SortKey | null; label: string; className: string }[] = [
  { key: 'name', label: 'Name', className: 'entry-name' },
  { key: 'size', label: 'Size', className: 'entry-size' },
  { key: 'mtime', label: 'Modified', className: 'entry-date' },
  { key: null, label: 'Permissions', className: 'entry-mode' },
];

interface FileTableProps {
  entries: Entry[];
  sort: Sort;
  onSort(sort: Sort): void;
  selected: ReadonlySet<string>;
  cursor: string | null;
  /** the folder row a drag is over */
  dropOver: string | null;
  actions: EntryActions;
  onKeyDown(e: KeyboardEvent): void;
  /** what an empty list says */
  empty: string;
}

/** Column headers that sort (click again to reverse), over the windowed list of entries. */
export function FileTable({ entries, sort, onSort, selected, cursor, dropOver, actions, onKeyDown, empty }: FileTableProps) {
  const cursorIndex = cursor === null ? -1 : entries.findIndex((e) => e.name === cursor);
  const Arrow = sort.desc ? ChevronDown : ChevronUp;
  return (
    <>
      <div className="entry-header">
        {COLUMNS.map(({ key, label, className }) =>
          key === null ? (
            <span key={label} className={className}>
              {label}
            </span>
          ) : (
            <button
              key={label}
              type="button"
              className={className}
              data-testid={`sort-${key}`}
              aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
              onClick={() => onSort({ key, desc: sort.key === key && !sort.desc })}
            >
              {label}
              {sort.key === key && <Arrow size={12} />}
            </button>
          ),
        )}
      </div>
      <VirtualList
        className="entry-list"
        data-testid="entries"
        role="listbox"
        aria-multiselectable
        aria-label="Files"
        tabIndex={0}
        items={entries}
        rowHeight={ROW_HEIGHT}
        keepInView={cursorIndex < 0 ? null : cursorIndex}
        onKeyDown={onKeyDown}
        renderRow={(entry) => (
          <EntryRow
            key={entry.name}
            entry={entry}
            selected={selected.has(entry.name)}
            cursor={entry.name === cursor}
            dropOver={entry.name === dropOver}
            actions={actions}
          />
        )}
        footer={entries.length === 0 && <p className="entry-empty">{empty}</p>}
      />
    </>
  );
}
