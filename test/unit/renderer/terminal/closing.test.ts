// Which closes ask first: the live shells a tab action would end (a tab, the others, those to the right, a
// pane), never the exited or failed ones, and the question that names them.
import { describe, expect, it } from 'vitest';
import { anyLive, closeQuestion, liveClosing } from '../../../../renderer/features/terminal/closing.js';
import { noTabs, openTab, tabsReducer, type TabAction, type Tabs } from '../../../../renderer/features/terminal/tabs.js';

const run = (tabs: Tabs, ...actions: TabAction[]) => actions.reduce(tabsReducer, tabs);

/** db (two panes, open), db again (open), web (exited) */
function workspace() {
  const [db, db2, web] = [openTab({ hostId: 'db' }, 'db'), openTab({ hostId: 'db' }, 'db'), openTab({ hostId: 'web' }, 'web')];
  let tabs = run(noTabs, db, db2, web, { type: 'split', id: db.id, pane: db.pane, dir: 'row', newPane: 'p-db-2' });
  tabs = run(
    tabs,
    { type: 'state', id: db.id, pane: db.pane, state: 'open' },
    { type: 'state', id: db.id, pane: 'p-db-2', state: 'reconnecting' },
    { type: 'state', id: db2.id, state: 'open' },
    { type: 'state', id: web.id, state: 'exited' },
  );
  return { tabs, db, db2, web };
}

describe('closing live sessions', () => {
  it('counts the live shells each close would end, and names their hosts once', () => {
    const { tabs, db, db2, web } = workspace();
    expect(liveClosing(tabs, { type: 'close', id: db.id })).toEqual({ sessions: 2, titles: ['db'] });
    expect(liveClosing(tabs, { type: 'closePane', id: db.id, pane: 'p-db-2' })).toEqual({ sessions: 1, titles: ['db'] });
    expect(liveClosing(tabs, { type: 'closeOthers', id: web.id })).toEqual({ sessions: 3, titles: ['db'] });
    expect(liveClosing(tabs, { type: 'closeOthers', id: db2.id })).toEqual({ sessions: 2, titles: ['db'] });
    expect(liveClosing(tabs, { type: 'closeRight', id: db.id })).toEqual({ sessions: 1, titles: ['db'] });
  });

  it('an exited or failed shell, a tab or pane that is not there, and any other action close nothing live', () => {
    const { tabs, db, db2, web } = workspace();
    expect(liveClosing(tabs, { type: 'close', id: web.id })).toBeNull();
    expect(liveClosing(tabs, { type: 'closeRight', id: db2.id })).toBeNull();
    expect(liveClosing(tabs, { type: 'close', id: 'tab-gone' })).toBeNull();
    expect(liveClosing(tabs, { type: 'closePane', id: db.id, pane: 'p-gone' })).toBeNull();
    expect(liveClosing(tabs, { type: 'activate', id: db.id })).toBeNull();
    expect(liveClosing(tabs, { type: 'split', id: db.id, pane: db.pane, dir: 'row', newPane: 'p-3' })).toBeNull();
    const failed = run(tabs, { type: 'state', id: db2.id, state: 'failed' });
    expect(liveClosing(failed, { type: 'close', id: db2.id })).toBeNull();
    // a shell still connecting is live: it is about to be one
    const connecting = run(noTabs, openTab({ hostId: 'db' }, 'db'));
    expect(liveClosing(connecting, { type: 'close', id: connecting.list[0]!.id })).toEqual({ sessions: 1, titles: ['db'] });
  });

  it('asks in words, and knows when any shell is live', () => {
    expect(closeQuestion({ sessions: 1, titles: ['db'] })).toBe('Close the live session to db?');
    expect(closeQuestion({ sessions: 2, titles: ['db'] })).toBe('Close 2 live sessions to db?');
    expect(closeQuestion({ sessions: 3, titles: ['db', 'web'] })).toBe('Close 3 live sessions to db and web?');
    expect(closeQuestion({ sessions: 4, titles: ['a', 'b', 'c'] })).toBe('Close 4 live sessions to a, b and c?');
    const { tabs, db, db2 } = workspace();
    expect(anyLive(tabs)).toBe(true);
    expect(anyLive(run(tabs, { type: 'close', id: db.id }, { type: 'close', id: db2.id }))).toBe(false);
    expect(anyLive(noTabs)).toBe(false);
  });
});
