// A stand-in for React's useState, so a hook whose logic is plain state updates runs under node without
// a DOM or a renderer: `mount` calls the hook the way a render does, and `render()` calls it again to
// see the state its last event left. Test files install it with
// `vi.mock('react', async () => (await import('../hooks.js')).fakeReact)`.
type SetState<T> = (next: T | ((prev: T) => T)) => void;

let slots: unknown[] = [];
let cursor = 0;

function useState<T>(initial: T | (() => T)): [T, SetState<T>] {
  const at = cursor++;
  if (!(at in slots)) slots[at] = typeof initial === 'function' ? (initial as () => T)() : initial;
  const set: SetState<T> = (next) => {
    slots[at] = typeof next === 'function' ? (next as (prev: T) => T)(slots[at] as T) : next;
  };
  return [slots[at] as T, set];
}

export const fakeReact = { useState };

/** Mounts `hook` (forgetting any earlier one); `render()` runs it again and returns what it returns now. */
export function mount<T>(hook: () => T): { render(): T } {
  slots = [];
  const render = () => {
    cursor = 0;
    return hook();
  };
  render();
  return { render };
}
