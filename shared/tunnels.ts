// The contract's tunnels section: saved forwards (local, remote, SOCKS), their switches and live status.
import { z } from 'zod';
import { WireError } from './errors.js';
import { Id, Tunnel, TunnelFields, tunnelProblems } from './model.js';
import { call, empty, ok, SecretField, stream } from './spec.js';

export const TunnelState = z.enum(['stopped', 'starting', 'up', 'reconnecting', 'failed']);
export type TunnelState = z.infer<typeof TunnelState>;

export const TunnelStatus = z.object({
  id: Id,
  state: TunnelState,
  /** reconnect attempt number while reconnecting, else 0 */
  attempt: z.number(),
  /** when the next reconnect attempt starts (epoch ms) */
  nextRetryAt: z.number().nullable(),
  /** why it failed, or why it is reconnecting */
  error: WireError.nullable(),
  /** up, but something is off (e.g. the destination refused the last connection) */
  warning: z.string().nullable(),
  /** the port actually bound (differs from the tunnel's when it asked for 0) */
  boundPort: z.number().nullable(),
  connections: z.number(),
  bytesIn: z.number(),
  bytesOut: z.number(),
  /** bytes per second, in + out, over the last 60 seconds (oldest first) */
  history: z.array(z.number()),
  /** since when the current state holds (epoch ms) */
  since: z.number(),
});
export type TunnelStatus = z.infer<typeof TunnelStatus>;

const TunnelInput = TunnelFields.extend({ socksPassword: SecretField.optional() })
  .strict()
  .superRefine((t, ctx) => tunnelProblems(t).forEach((message) => ctx.addIssue({ code: 'custom', message })));

/** `null` clears an optional field; the merged tunnel is checked again by the server */
const TunnelPatch = z
  .object({
    name: TunnelFields.shape.name,
    hostId: Id,
    kind: TunnelFields.shape.kind,
    bindAddress: TunnelFields.shape.bindAddress.unwrap(),
    bindPort: TunnelFields.shape.bindPort,
    destHost: TunnelFields.shape.destHost.unwrap().nullable(),
    destPort: TunnelFields.shape.destPort.unwrap().nullable(),
    autoStart: z.boolean(),
    exposed: z.boolean(),
    socksUser: TunnelFields.shape.socksUser.unwrap().nullable(),
    socksPassword: SecretField.nullable(),
  })
  .partial()
  .strict();

export const tunnelCalls = {
  'tunnels.create': call(TunnelInput, Tunnel),
  /** a running tunnel restarts with its new settings */
  'tunnels.update': call(z.object({ id: Id, patch: TunnelPatch }).strict(), Tunnel),
  'tunnels.delete': call(z.object({ id: Id }).strict(), ok),
  /** returns once the tunnel is up, failed, or reconnecting */
  'tunnels.start': call(z.object({ id: Id }).strict(), TunnelStatus),
  'tunnels.stop': call(z.object({ id: Id }).strict(), TunnelStatus),
  /** a local port that is free right now on that address, to offer when the chosen one is taken */
  'tunnels.freePort': call(z.object({ bindAddress: TunnelFields.shape.bindAddress.unwrap() }).strict(), z.object({ port: z.number() })),
  /** the equivalent OpenSSH command line: `ssh -N -L … host` */
  'tunnels.command': call(z.object({ id: Id }).strict(), z.object({ command: z.string() })),
};

export const tunnelStreams = {
  /** every tunnel's status: now, on every state change, and about once a second while traffic moves */
  'tunnels.watch': stream(empty, z.array(TunnelStatus)),
};
