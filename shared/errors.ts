import { z } from 'zod';

/**
 * Every error that crosses the contract carries one of these codes. The code names the
 * layer that failed, so the UI (and the CLI) can say what broke and what to do.
 */
export const ErrorCode = z.enum([
  // contract
  'BAD_REQUEST', // the caller sent something the contract does not accept
  'NOT_FOUND',
  'CONFLICT',
  'CANCELLED',
  'PROMPT_TIMEOUT',
  'NO_UI', // a prompt was needed but nobody is there to answer it
  'INTERNAL',
  // reaching the server
  'DNS',
  'TCP_TIMEOUT',
  'TCP_REFUSED',
  'TCP_UNREACHABLE',
  'NOT_SSH', // something answered, but not an SSH server
  'HANDSHAKE', // SSH key exchange failed (no common algorithm, …)
  'PROXY', // the ProxyCommand failed
  // trusting the server
  'HOST_KEY_REJECTED', // unknown key, user said no
  'HOST_KEY_CHANGED',
  'HOST_KEY_REVOKED',
  // proving who we are
  'AUTH_FAILED',
  'KEY_FILE',
  'AGENT',
  // after login
  'CHANNEL',
  'DISCONNECTED',
  // local state
  'LOCAL_PORT', // a tunnel's local port cannot be bound
  'CONFIG', // an ssh_config line ssh itself would refuse
  'STORE',
  'SECRETS',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const WireError = z.object({
  code: ErrorCode,
  message: z.string(),
  /** Structured facts for the UI: e.g. offered/tried auth methods, fingerprints. Never secrets. */
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type WireError = z.infer<typeof WireError>;

/** The one error type services throw. Anything else is reported as INTERNAL, without a stack. */
export class WarrenError extends Error {
  readonly code: ErrorCode;
  readonly detail: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, detail?: Record<string, unknown>) {
    super(message);
    this.name = 'WarrenError';
    this.code = code;
    this.detail = detail;
  }
  toWire(): WireError {
    return this.detail === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, detail: this.detail };
  }
  static fromWire(e: WireError): WarrenError {
    return new WarrenError(e.code, e.message, e.detail);
  }
}

/** Short, human names of the layers, for headings in the UI and the CLI. */
export const layerOf: Record<ErrorCode, string> = {
  BAD_REQUEST: 'Request',
  NOT_FOUND: 'Request',
  CONFLICT: 'Request',
  CANCELLED: 'Cancelled',
  PROMPT_TIMEOUT: 'Prompt',
  NO_UI: 'Prompt',
  INTERNAL: 'Internal',
  DNS: 'DNS',
  TCP_TIMEOUT: 'TCP',
  TCP_REFUSED: 'TCP',
  TCP_UNREACHABLE: 'TCP',
  NOT_SSH: 'SSH banner',
  HANDSHAKE: 'SSH handshake',
  PROXY: 'ProxyCommand',
  HOST_KEY_REJECTED: 'Host key',
  HOST_KEY_CHANGED: 'Host key',
  HOST_KEY_REVOKED: 'Host key',
  AUTH_FAILED: 'Authentication',
  KEY_FILE: 'Key file',
  AGENT: 'ssh-agent',
  CHANNEL: 'Channel',
  DISCONNECTED: 'Connection',
  CONFIG: 'ssh_config',
  LOCAL_PORT: 'Local port',
  STORE: 'Settings',
  SECRETS: 'Secrets',
};
