import { expect, test, type Page } from '@playwright/test';
import { createVm, deleteVm, uniqueName, waitForStatus } from './support/cluster';
import { row, search, signIn } from './support/portal';
import { en } from '../messages/en';
import { zhCN } from '../messages/zh-CN';

// Acceptance 5: after switching to Chinese no English is left in the list and detail pages. Data (names, addresses,
// the API server's own words, YAML) is marked translate="no" and skipped; every other Latin word must be one of
// the few that Chinese UIs keep as they are.
const ALLOWED = new Set(['KubeVirt', 'API', 'YAML', 'VNC', 'IP', 'MAC', 'Pod', 'Cloud', 'init', 'MiB', 'GiB', 'KiB', 'TiB']);
const name = uniqueName('e2e-zh');

test.beforeAll(async () => {
  createVm(name, 'team-a', 'Always');
  await waitForStatus(name, 'team-a', 'Running');
});
test.afterAll(() => deleteVm(name, 'team-a'));

async function translatableText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const out: string[] = [];
    const walk = (node: Node) => {
      if (node.nodeType === Node.TEXT_NODE) {
        out.push(node.textContent ?? '');
        return;
      }
      const el = node as HTMLElement;
      if (el.nodeType !== Node.ELEMENT_NODE) return;
      if (el.getAttribute('translate') === 'no' || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(el.tagName)) return;
      if (el.getAttribute('aria-hidden') === 'true') return;
      // Placeholders are visible UI text; titles and labels for assistive tech may embed data (VM names).
      for (const attr of ['placeholder']) {
        const v = el.getAttribute(attr);
        if (v) out.push(v);
      }
      el.childNodes.forEach(walk);
    };
    walk(document.body);
    return out.join('\n');
  });
}

function englishLeft(text: string): string[] {
  const words = text.match(/[A-Za-z]{2,}/g) ?? [];
  return [...new Set(words.filter((w) => !ALLOWED.has(w)))];
}

test('switching to Chinese leaves no English in the list and detail pages', async ({ page }) => {
  // The catalogues are complete: same keys, and every sentence really translated.
  expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());

  await signIn(page, 'dev-a');
  await page.getByTestId('language-switch').selectOption('zh-CN');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('虚拟机');
  await search(page, name);
  await expect(row(page, 'team-a', name)).toBeVisible();
  await expect(row(page, 'team-a', name).getByTestId('vm-status')).toHaveText('运行中');
  // Open a menu too, so its entries and reasons are checked.
  await row(page, 'team-a', name).getByTestId('vm-actions').click();
  await expect(page.getByRole('menuitem').first()).toBeVisible();
  expect(englishLeft(await translatableText(page))).toEqual([]);
  await page.keyboard.press('Escape');

  await page.goto(`/vms/team-a/${name}`);
  await expect(page.getByTestId('vm-name')).toBeVisible();
  await expect(page.getByTestId('detail-node')).not.toHaveText('无');
  expect(englishLeft(await translatableText(page))).toEqual([]);
  await page.getByTestId('tab-events').click();
  // The table, or the sentence saying there are none (the sandbox's simulator records few events).
  await expect(page.getByTestId('events').or(page.getByTestId('events-none'))).toBeVisible();
  expect(englishLeft(await translatableText(page))).toEqual([]);
  await page.getByTestId('tab-yaml').click();
  await expect(page.getByTestId('yaml')).toContainText(name);
  expect(englishLeft(await translatableText(page))).toEqual([]);

  // And back: the choice is a cookie, the catalogue changes without losing the page.
  await page.getByTestId('language-switch').selectOption('en');
  await expect(page.getByTestId('tab-overview')).toHaveText('Overview');
});
