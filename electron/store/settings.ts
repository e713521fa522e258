import { chmod, mkdir, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import Conf from 'conf';
import { z } from 'zod';
import { Group, HostRecord, Tree, Tunnel, type Notice } from '../../shared/model.js';
import { DEFAULT_TERMINAL_SETTINGS as D, TerminalSettings } from '../../shared/settings.js';
import { Snippet } from '../../shared/snippets.js';
import { StoredWorkspace } from '../../shared/workspace.js';
import { SCHEMA_VERSION } from './peek.js';

/**
 * The subset of `conf` / `electron-store` Warren uses: the whole document read and written at once.
 * Both write atomically (temp file + rename). electron-store in the desktop app, conf under Node.
 */
export interface ConfLike {
  store: Record<string, unknown>;
  readonly path: string;
}
/**
 * Builds the conf-compatible store on a directory; called after a corrupt file has been set aside.
 * `configFileMode` (0600) goes to conf / electron-store as is: each write makes the file anew.
 */
export type OpenConf = (options: { cwd: string; configName: string; configFileMode: number }) => ConfLike;

/** The store under plain Node (browser mode, the CLI, tests): `conf`, on which electron-store is built. */
export const openNodeConf: OpenConf = ({ cwd, configName, configFileMode }) =>
  new Conf({ cwd, configName, configFileMode, projectName: 'warren', clearInvalidConfig: false });

/**
 * The terminal settings as read from the file: a value that is not valid (edited by hand, say) falls back
 * to its default, field by field. A bad font size never costs the hosts (a document that fails its schema
 * is moved aside whole).
 */
const T = TerminalSettings.shape;
const StoredTerminalSettings = z
  .object({
    fontFamily: T.fontFamily.catch(D.fontFamily),
    fontSize: T.fontSize.catch(D.fontSize),
    lineHeight: T.lineHeight.catch(D.lineHeight),
    cursorStyle: T.cursorStyle.catch(D.cursorStyle),
    cursorBlink: T.cursorBlink.catch(D.cursorBlink),
    scrollback: T.scrollback.catch(D.scrollback),
    copyOnSelect: T.copyOnSelect.catch(D.copyOnSelect),
    renderer: T.renderer.catch(D.renderer),
    theme: T.theme.catch(D.theme),
    customTheme: T.customTheme.catch(D.customTheme),
    termType: T.termType.catch(D.termType),
    locale: T.locale.catch(D.locale),
    bell: T.bell.catch(D.bell),
    wordSeparators: T.wordSeparators.catch(D.wordSeparators),
    restoreWorkspace: T.restoreWorkspace.catch(D.restoreWorkspace),
    confirmClose: T.confirmClose.catch(D.confirmClose),
    rightClick: T.rightClick.catch(D.rightClick),
    keys: T.keys.catch(D.keys),
  })
  .catch(D);

export { SCHEMA_VERSION };
export const SettingsDoc = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  groups: z.array(Group),
  hosts: z.array(HostRecord),
  tunnels: z.array(Tunnel),
  recent: Tree.shape.recent,
  tagColors: Tree.shape.tagColors,
  terminal: StoredTerminalSettings,
  snippets: z.array(Snippet),
  /** the terminal tabs to bring back; one that does not pass its schema is dropped, never the document */
  workspace: StoredWorkspace.nullable().catch(null),
});
export type SettingsDoc = z.infer<typeof SettingsDoc>;

/** migrations[n] turns a version-n document into version n+1; a new, empty file is version 0 */
const migrations: ((doc: Record<string, unknown>) => Record<string, unknown>)[] = [
  (doc) => ({ ...doc, schemaVersion: 1, groups: doc.groups ?? [], hosts: doc.hosts ?? [] }),
  (doc) => ({ ...doc, schemaVersion: 2, tunnels: [] }),
  (doc) => ({ ...doc, schemaVersion: 3, recent: [], tagColors: {} }),
  (doc) => ({ ...doc, schemaVersion: 4, terminal: { ...D } }),
  (doc) => ({ ...doc, schemaVersion: 5, snippets: [] }),
  (doc) => ({ ...doc, schemaVersion: 6, terminal: { ...(doc.terminal as object), restoreWorkspace: D.restoreWorkspace }, workspace: null }),
];

export function migrate(raw: unknown): SettingsDoc {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('the settings file does not hold an object');
  let doc = raw as Record<string, unknown>;
  const from = doc.schemaVersion ?? 0;
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 0) throw new Error(`unknown schemaVersion ${String(from)}`);
  if (from > SCHEMA_VERSION) {
    throw new Error(`the settings were written by a newer Warren (schema ${from}, this one knows ${SCHEMA_VERSION})`);
  }
  for (let v = from; v < SCHEMA_VERSION; v++) doc = migrations[v]!(doc);
  const parsed = SettingsDoc.safeParse(doc);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`invalid settings at ${first?.path.join('.') || '(root)'}: ${first?.message ?? 'unknown problem'}`);
  }
  return parsed.data;
}

export const CONFIG_NAME = 'settings';

/**
 * The data dir holds the settings, known_hosts, the vault and Warren's keys: only its owner may look
 * inside. `mkdir`'s mode applies only to a dir it creates, so one that exists, looser than 0700 and
 * this user's, is made 0700; one owned by someone else is left as it is, with a notice.
 */
export async function privateDataDir(dataDir: string): Promise<Notice[]> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return [];
  const st = await stat(dataDir);
  if ((st.mode & 0o077) === 0) return [];
  if (st.uid !== process.getuid?.()) {
    return [
      {
        level: 'warning',
        message: `The data folder ${dataDir} belongs to another user (uid ${st.uid}) and others may open it (mode ${(st.mode & 0o777).toString(8)}): your settings and known hosts may be read there. Use a data folder of your own.`,
      },
    ];
  }
  await chmod(dataDir, 0o700);
  return [];
}

/**
 * Opens the settings document. A file that cannot be read as valid settings is never overwritten
 * and never dropped silently: it is renamed to `settings.json.corrupt-<time>` and a notice says so.
 */
export async function openSettings(dataDir: string, openConf: OpenConf): Promise<{ conf: ConfLike; doc: SettingsDoc; notices: Notice[] }> {
  const file = path.join(dataDir, `${CONFIG_NAME}.json`);
  const notices: Notice[] = [];
  let text: string | null = null;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  let doc: SettingsDoc | null = null;
  if (text !== null && text.trim() !== '') {
    try {
      doc = migrate(JSON.parse(text));
    } catch (e) {
      const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await rename(file, aside);
      notices.push({
        level: 'error',
        message: `Your settings file could not be read (${(e as Error).message}). It was moved to ${aside} so nothing in it is lost; Warren started with empty settings. Fix or restore that file and restart to get your hosts back.`,
      });
    }
  }
  const conf = openConf({ cwd: dataDir, configName: CONFIG_NAME, configFileMode: 0o600 });
  if (doc === null) doc = migrate(conf.store);
  conf.store = doc;
  return { conf, doc, notices };
}
