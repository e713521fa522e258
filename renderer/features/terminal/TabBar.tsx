import type { Dispatch } from 'react';
import { Tab } from '../../lib/Tab.js';
import type { TabAction, Tabs } from './tabs.js';

export function TabBar({ tabs, dispatch }: { tabs: Tabs; dispatch: Dispatch<TabAction> }) {
  return (
    <div className="tabbar" role="tablist">
      {tabs.list.map((tab) => (
        <Tab
          key={tab.id}
          title={tab.title}
          active={tab.id === tabs.active}
          testId="tab"
          closeTestId="tab-close"
          data={{ 'data-state': tab.state }}
          lead={<span className={`tab-dot ${tab.state}`} />}
          onActivate={() => dispatch({ type: 'activate', id: tab.id })}
          onClose={() => dispatch({ type: 'close', id: tab.id })}
        />
      ))}
    </div>
  );
}
