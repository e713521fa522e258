import { X } from 'lucide-react';
import type { Dispatch } from 'react';
import type { TabAction, Tabs } from './tabs.js';

export function TabBar({ tabs, dispatch }: { tabs: Tabs; dispatch: Dispatch<TabAction> }) {
  return (
    <div className="tabbar" role="tablist">
      {tabs.list.map((tab) => (
        <div
          key={tab.id}
          className="tab"
          role="tab"
          data-testid="tab"
          data-state={tab.state}
          data-active={tab.id === tabs.active}
          aria-selected={tab.id === tabs.active}
          title={tab.title}
          onClick={() => dispatch({ type: 'activate', id: tab.id })}
          onAuxClick={(e) => e.button === 1 && dispatch({ type: 'close', id: tab.id })}
        >
          <span className={`tab-dot ${tab.state}`} />
          <span className="tab-title">{tab.title}</span>
          <button
            type="button"
            className="icon-button tab-close"
            data-testid="tab-close"
            aria-label={`Close ${tab.title}`}
            onClick={(e) => {
              e.stopPropagation();
              dispatch({ type: 'close', id: tab.id });
            }}
          >
            <X size={13} />
          </button>
        </div>
      ))}
    </div>
  );
}
