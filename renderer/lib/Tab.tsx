import { X } from 'lucide-react';
import type { HTMLAttributes, ReactNode, Ref } from 'react';
import { visible } from '../../shared/untrusted.js';

interface TabProps {
  title: string;
  active: boolean;
  /** test hooks: the tab's data-testid, and its close button's */
  testId: string;
  closeTestId: string;
  /** extra data-* attributes for the tab */
  data?: Record<`data-${string}`, string>;
  /** before the title: a state dot, an icon */
  lead: ReactNode;
  onActivate(): void;
  onClose(): void;
  /** in place of the title (an inline rename box); the title stays the tooltip */
  titleSlot?: ReactNode;
  /** more for the tab element: focus, keys, a context menu, dragging */
  attrs?: HTMLAttributes<HTMLDivElement> & { ref?: Ref<HTMLDivElement> };
}

/** One tab of a tab bar (terminals, file browsers): click activates, middle-click or × closes. */
export function Tab({ title: raw, active, testId, closeTestId, data, lead, onActivate, onClose, titleSlot, attrs }: TabProps) {
  // a host's name may come from a file or a server: its controls and direction marks show as escapes
  const title = visible(raw);
  return (
    <div
      className="tab"
      role="tab"
      data-testid={testId}
      data-active={active}
      aria-selected={active}
      title={title}
      onClick={onActivate}
      onAuxClick={(e) => e.button === 1 && onClose()}
      {...data}
      {...attrs}
    >
      {lead}
      {titleSlot ?? <span className="tab-title">{title}</span>}
      <button
        type="button"
        className="icon-button tab-close"
        data-testid={closeTestId}
        aria-label={`Close ${title}`}
        onClick={(e) => {
          e.stopPropagation();
          onClose();
        }}
      >
        <X size={13} />
      </button>
    </div>
  );
}
