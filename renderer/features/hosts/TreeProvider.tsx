import { createContext, use, useState, type ReactNode } from 'react';
import { applyTreeChange } from '../../../shared/inventory.js';
import type { Tree } from '../../../shared/model.js';
import { useStream } from '../../lib/useStream.js';

const TreeContext = createContext<Tree | undefined>(undefined);

/**
 * The app's one `tree.watch`: the whole tree once, then each change applied to it. Records a change
 * does not touch stay the same objects, so memoised rows and lists skip them.
 */
export function TreeProvider({ children }: { children: ReactNode }) {
  const [tree, setTree] = useState<Tree>();
  useStream('tree.watch', (event) => setTree((prev) => (event.kind === 'tree' ? event.tree : prev && applyTreeChange(prev, event.change))));
  return <TreeContext value={tree}>{children}</TreeContext>;
}

/** Groups, hosts, tunnels, recents and tag colours; undefined until the first event. */
export function useTree(): Tree | undefined {
  return use(TreeContext);
}
