// The contract's connections section: the shared SSH connections (one per host) and their session logs.
import { z } from 'zod';
import { Id } from './model.js';
import { call, empty, stream } from './spec.js';

export const ConnectionInfo = z.object({
  id: Id,
  label: z.string(),
  hostId: Id.nullable(),
  hostname: z.string(),
  port: z.number(),
  user: z.string(),
  sessions: z.number(),
  openedAt: z.number(),
  hostKey: z.object({ type: z.string(), fingerprint: z.string() }),
  /** the key exchange agreed on; postQuantum: a hybrid with ML-KEM or sntrup761, safe from "record now, decrypt later" */
  kex: z.object({ name: z.string(), postQuantum: z.boolean() }),
});
export type ConnectionInfo = z.infer<typeof ConnectionInfo>;

export const connectionCalls = {
  'connections.list': call(empty, z.array(ConnectionInfo)),
  /** a connection's `ssh -v`-style session log (open, or recently closed); never holds secrets */
  'connections.log': call(z.object({ id: Id }).strict(), z.object({ lines: z.array(z.string()) })),
};

export const connectionStreams = {
  /** open connections, on subscribe and after every change */
  'connections.watch': stream(empty, z.array(ConnectionInfo)),
};
