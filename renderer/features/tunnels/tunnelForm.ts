import type { CallInput } from '../../../shared/contract.js';
import { isLoopback, tunnelProblems, type Tunnel, type TunnelFields, type TunnelKind } from '../../../shared/model.js';

/** The editor's fields as the inputs hold them. */
export interface TunnelForm {
  name: string;
  hostId: string;
  kind: TunnelKind;
  bindAddress: string;
  bindPort: string;
  destHost: string;
  destPort: string;
  autoStart: boolean;
  exposed: boolean;
  socksUser: string;
}

type Fields = Omit<TunnelFields, 'bindAddress' | 'autoStart' | 'exposed'> & Required<Pick<TunnelFields, 'bindAddress' | 'autoStart' | 'exposed'>>;
type Patch = CallInput<'tunnels.update'>['patch'];

export function newForm(hostId: string): TunnelForm {
  return {
    name: '',
    hostId,
    kind: 'local',
    bindAddress: '127.0.0.1',
    bindPort: '',
    destHost: '',
    destPort: '',
    autoStart: false,
    exposed: false,
    socksUser: '',
  };
}

export function toForm(t: Tunnel): TunnelForm {
  const text = (v: string | number | undefined) => (v === undefined ? '' : String(v));
  return {
    name: t.name,
    hostId: t.hostId,
    kind: t.kind,
    bindAddress: t.bindAddress,
    bindPort: String(t.bindPort),
    destHost: text(t.destHost),
    destPort: text(t.destPort),
    autoStart: t.autoStart,
    exposed: t.exposed,
    socksUser: text(t.socksUser),
  };
}

const optional = (text: string) => (text.trim() === '' ? undefined : text.trim());
const port = (text: string) => (text.trim() === '' ? NaN : Number(text));

/** What the form says, as the contract takes it: fields that do not apply to the kind are left out. */
export function fieldsOf(form: TunnelForm): Fields {
  const forward = form.kind !== 'dynamic';
  const destPort = optional(form.destPort);
  // an emptied address is the default its placeholder shows (and the server's), not an exposure to confirm
  const bindAddress = form.bindAddress.trim() || '127.0.0.1';
  return {
    name: form.name.trim(),
    hostId: form.hostId,
    kind: form.kind,
    bindAddress,
    bindPort: port(form.bindPort),
    destHost: forward ? optional(form.destHost) : undefined,
    destPort: forward && destPort !== undefined ? port(destPort) : undefined,
    autoStart: form.autoStart,
    exposed: form.exposed && !isLoopback(bindAddress),
    socksUser: forward ? undefined : optional(form.socksUser),
  };
}

const inRange = (n: number | undefined, min: number) => n === undefined || (Number.isInteger(n) && n >= min && n <= 65535);

/**
 * Why the server would refuse these fields, said before asking it: the cross-field rules of
 * `tunnelProblems`, the ports, and a SOCKS user without a password (which would let anyone in).
 */
export function formProblems(form: TunnelForm, hasSocksPassword: boolean): string[] {
  const f = fieldsOf(form);
  const out: string[] = [];
  if (f.name === '') out.push('a name is needed');
  // 0 is for remote forwards only, which tunnelProblems says
  if (!inRange(f.bindPort, 0)) out.push('the listening port is a number from 1 to 65535');
  if (!inRange(f.destPort, 1)) out.push('the destination port is a number from 1 to 65535');
  out.push(...tunnelProblems(f));
  if (f.socksUser !== undefined && !hasSocksPassword) out.push('a SOCKS user needs a password');
  return out;
}

/** The fields that changed; a field that no longer applies (or was emptied) is null, which clears it. */
export function patchOf(initial: TunnelForm, form: TunnelForm): Patch {
  const before = fieldsOf(initial);
  const after = fieldsOf(form);
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof Fields)[]) {
    if (after[key] !== before[key]) patch[key] = after[key] ?? null;
  }
  return patch as Patch;
}
