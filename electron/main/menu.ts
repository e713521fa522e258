import { Menu, type MenuItemConstructorOptions } from 'electron';

/** Edit (so copy and paste work in terminals and fields), View only while developing, Window. */
export function appMenu(isPackaged: boolean): Menu {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'editMenu' },
    ...(isPackaged ? [] : [{ label: 'View', submenu: [{ role: 'reload' as const }, { role: 'forceReload' as const }, { role: 'toggleDevTools' as const }] }]),
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
