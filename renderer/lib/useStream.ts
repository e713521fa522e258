import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { StreamEvent, StreamName, StreamParams } from '../../shared/contract.js';
import { useClient } from './client.js';
import { describeError } from './errors.js';
import { useFeedback } from './feedback.js';

/** The streams that take no parameters: the app-wide watches. */
type WatchName = { [N in StreamName]: {} extends StreamParams<N> ? N : never }[StreamName];

/**
 * Subscribes to a watch stream for the life of the component. A watch that ends with an error
 * leaves the UI stale, so that becomes a banner rather than a passing toast.
 */
export function useStream<N extends WatchName>(name: N, onEvent: (event: StreamEvent<N>) => void): void {
  const client = useClient();
  const { addNotice } = useFeedback();
  const handler = useRef(onEvent);
  useLayoutEffect(() => {
    handler.current = onEvent;
  });
  useEffect(
    () =>
      client.subscribe(name, {} as StreamParams<N>, {
        onEvent: (event) => handler.current(event),
        onEnd: (error) => {
          if (error) addNotice({ level: 'error', message: describeError(error) });
        },
      }),
    [client, name, addNotice],
  );
}

/** The latest event of a watch stream that sends whole snapshots (the tree, the connections). */
export function useStreamValue<N extends WatchName>(name: N): StreamEvent<N> | undefined {
  const [value, setValue] = useState<StreamEvent<N>>();
  useStream(name, (event) => setValue(() => event));
  return value;
}
