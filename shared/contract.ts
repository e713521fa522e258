import { z } from 'zod';
import { Id, Notice } from './model.js';
import { call, empty, ok, type CallSpec, type StreamSpec } from './spec.js';
import { inventoryCalls, inventoryStreams } from './inventory.js';
import { connectionCalls, connectionStreams } from './connections.js';
import { promptCalls, promptStreams } from './prompts.js';
import { terminalCalls, terminalStreams } from './terminal.js';
import { tunnelCalls, tunnelStreams } from './tunnels.js';
import { sftpCalls, sftpStreams } from './sftp.js';
import { doctorCalls, doctorStreams } from './doctor.js';
import { keysCalls, keysStreams } from './keys.js';
import { hostKeyCalls } from './hostkeys.js';
import { settingsCalls, settingsStreams } from './settings.js';
import { snippetCalls } from './snippets.js';
import { workspaceCalls } from './workspace.js';

/**
 * The one contract between the renderer and the main process. Every request (`calls`) and every
 * event stream (`streams`) is declared here once — the app and the import here, each other feature in
 * its own section (inventory, prompts, connections, terminal, tunnels, sftp, doctor, keys, settings) — and the client, the
 * handlers and both transports (Electron MessagePort, WebSocket) derive their types from it; the server
 * validates every input against these schemas before a handler sees it.
 */

/** What an ssh_config import did; nothing is dropped silently. */
export const ImportReport = z.object({
  /** the group the hosts went into; null when none was made (every host was skipped) */
  groupId: Id.nullable(),
  /** its name ("Imported from ~/.ssh/config") */
  groupName: z.string(),
  created: z.array(z.string()),
  updated: z.array(z.string()),
  /** hosts Warren could not take (e.g. a host name it does not accept), and why */
  skipped: z.array(z.object({ host: z.string(), why: z.string() })),
  tunnelsAdded: z.number(),
  /** every keyword a host sets that Warren does not apply, and why */
  notApplied: z.array(z.object({ host: z.string(), keyword: z.string(), value: z.string(), why: z.string() })),
  /** lines OpenSSH would reject or Warren cannot evaluate (Match exec, …) */
  problems: z.array(
    z.object({
      file: z.string(),
      line: z.number(),
      keyword: z.string(),
      message: z.string(),
      /** ssh refuses the whole config for this line (`ssh -G` fails); otherwise ssh goes on (deprecated keywords, what Warren only does less of) */
      sshRefuses: z.boolean().optional(),
    }),
  ),
});
export type ImportReport = z.infer<typeof ImportReport>;

export const AppInfo = z.object({
  version: z.string(),
  mode: z.enum(['desktop', 'browser', 'cli']),
  dataDir: z.string(),
  secrets: z.object({ backend: z.enum(['keychain', 'vault']), detail: z.string() }),
  notices: z.array(Notice),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const contract = {
  calls: {
    'app.info': call(empty, AppInfo),

    /** imports an ssh_config (default ~/.ssh/config) into a group of its own; importing again updates it */
    'sshconfig.import': call(
      z
        .object({
          file: z.string().trim().min(1).max(4096).optional(),
          /** keep the hosts linked to the file (re-read each time they connect) rather than copied */
          linked: z.boolean().default(false),
        })
        .strict(),
      ImportReport,
    ),

    /** the machine woke up or the network came back: every waiting terminal and tunnel retries now */
    'app.wake': call(empty, ok),

    ...inventoryCalls,
    ...promptCalls,
    ...terminalCalls,
    ...connectionCalls,
    ...tunnelCalls,
    ...sftpCalls,
    ...doctorCalls,
    ...keysCalls,
    ...hostKeyCalls,
    ...settingsCalls,
    ...snippetCalls,
    ...workspaceCalls,
  },
  streams: {
    ...inventoryStreams,
    ...promptStreams,
    ...connectionStreams,
    ...terminalStreams,
    ...tunnelStreams,
    ...sftpStreams,
    ...doctorStreams,
    ...keysStreams,
    ...settingsStreams,
  },
} as const satisfies { calls: Record<string, CallSpec>; streams: Record<string, StreamSpec> };

export type Contract = typeof contract;
export type CallName = keyof Contract['calls'];
export type StreamName = keyof Contract['streams'];
/** what a caller may pass (before defaults are applied) */
export type CallInput<N extends CallName> = z.input<Contract['calls'][N]['input']>;
/** what a handler receives (after validation and defaults) */
export type CallArgs<N extends CallName> = z.output<Contract['calls'][N]['input']>;
export type CallOutput<N extends CallName> = z.output<Contract['calls'][N]['output']>;
export type StreamParams<N extends StreamName> = z.input<Contract['streams'][N]['params']>;
export type StreamArgs<N extends StreamName> = z.output<Contract['streams'][N]['params']>;
export type StreamEvent<N extends StreamName> = z.output<Contract['streams'][N]['event']>;
