import { shell } from 'electron';

/**
 * Opens a link in the user's browser. Only https: is ever handed to the OS: file:, smb:, custom
 * schemes and the like can launch programs or leak credentials, so they are refused.
 */
export async function openExternal(url: string): Promise<boolean> {
  if (!URL.canParse(url) || new URL(url).protocol !== 'https:') return false;
  await shell.openExternal(new URL(url).href);
  return true;
}
