// The Settings view lists every keyboard shortcut, from the list the key handlers use.
import { expect, test } from '@playwright/test';
import { appUrl } from './app.js';

test('the Settings view lists the shortcuts', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 1500 });
  await page.goto(appUrl());
  await page.getByTestId('view-settings').click();
  const table = page.getByTestId('keys-table');
  await table.scrollIntoViewIfNeeded();
  for (const keys of [
    'Ctrl+Shift+T',
    'Ctrl+Shift+L',
    'Alt+1 … Alt+9',
    'Ctrl+Shift+E',
    'Ctrl+Shift+B',
    'Ctrl+Shift+F',
    'Ctrl+Shift+C',
    'Ctrl+Shift+V',
    'Ctrl+= / Num +',
    'Ctrl/Cmd+Shift+P',
    'Ctrl/Cmd+K',
  ])
    await expect(table.locator(`[data-testid=keys-row][data-keys="${keys}"]`)).toHaveCount(1);
  await page.screenshot({ path: 'test/output/e2e/shortcuts.png' });
});
