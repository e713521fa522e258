// What one SSH login needs: the host's settings as resolved for it (ConnectSpec), and what the caller
// provides (ConnectDeps: how to ask the user, the saved secrets, the known_hosts files, the agent, the
// transport of a jump chain's hop, the session log). Types only, so every module of a login
// (transport, hostkey, auth-plan, errors, connect) can name them without importing one another.
import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import type { ServerSoftware } from './ident.js';
import type { AuthMethod } from '../../shared/model.js';
import type { Prompt, PromptAnswer } from '../../shared/prompts.js';
import type { SshOptions } from '../sshconfig/lookup.js';

export type { SshOptions };

/** Asks the user something; rejects with NO_UI, PROMPT_TIMEOUT or CANCELLED. */
export interface Prompter {
  ask(prompt: Prompt): Promise<PromptAnswer>;
}

/** Where saved passwords/passphrases come from and go to (the keychain or the vault, per host). */
export interface SavedSecrets {
  get(kind: 'password' | 'passphrase'): Promise<string | null>;
  save(kind: 'password' | 'passphrase', value: string): Promise<void>;
}

export interface ConnectSpec {
  hostname: string;
  port: number;
  user: string;
  auth: AuthMethod;
  identityFile: string | null;
  keepaliveInterval: number;
  keepaliveCountMax: number;
  /** OpenSSH ProxyCommand: its stdio carries the connection instead of a TCP socket */
  proxyCommand: string | null;
  /** the forwardAgent setting (shared/model.ts): which agent keys shells on this connection may use; null/absent = off */
  forwardAgent?: string | null | undefined;
  /** what ssh_config says of trust and asking, for a name resolved through it (absent: a saved host, Warren's defaults) */
  sshOptions?: SshOptions;
}

/** What the connection runs over when it is not a TCP socket of its own: a jump host's channel. */
export type Transport = Duplex & { destroy(): void };

export interface ConnectDeps {
  prompter: Prompter;
  secrets: SavedSecrets;
  /** known_hosts files read for trust (e.g. ~/.ssh/known_hosts); the last one is Warren's own, where accepted keys go */
  knownHostsFiles: string[];
  /** SSH_AUTH_SOCK, if an agent is running */
  agentSocket: string | undefined;
  /** home directory, for ~ in key paths and the default identities */
  home: string;
  /** an already open stream to the server (the previous hop's forwardOut channel) */
  sock?: Transport;
  connectTimeoutMs?: number;
  readyTimeoutMs?: number;
  onStatus?(message: string): void;
  /** the session log (`ssh -v` style): what happened, never a secret */
  log?(line: string): void;
  /** the server's login banner (SSH_MSG_USERAUTH_BANNER) as it sent it: whoever prints it makes its controls visible */
  onBanner?(message: string): void;
  /** what ssh would print as a warning while connecting (a host key added, or one that could not be): the CLI prints it on stderr */
  onWarning?(message: string): void;
}

export interface Connected {
  client: Client;
  hostKey: { type: string; fingerprint: string };
  /** the key exchange method agreed on, and whether it is post-quantum (a hybrid with ML-KEM or sntrup761) */
  kex: { name: string; postQuantum: boolean };
  /** what its identification line says it runs, for advice that fits (only OpenSSH has an sshd_config) */
  software: ServerSoftware;
  /** the round trip to the server in ms, measured by a keepalive just after the login (null until it is back) */
  rttMs(): number | null;
}
