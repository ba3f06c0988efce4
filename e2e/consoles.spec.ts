import { expect, test, type Page } from '@playwright/test';
import WebSocket from 'ws';
import { api, serialShell, subresource } from '../sandbox/test/api.ts';
import { createVm, deleteVm, uniqueName, waitForStatus } from './support/cluster';
import { signIn } from './support/portal';

// Issue 15: the serial and VNC consoles through the portal's websocket proxy, in Chromium, against real QEMU guests.
const ns = 'team-a';
const vm = uniqueName('e2e-con');
const portal = new URL(process.env.PORTAL_URL ?? 'http://localhost:3000');

test.beforeAll(async () => {
  createVm(vm, ns, 'Always');
  await waitForStatus(vm, ns, 'Running', 90_000);
});
test.afterAll(() => deleteVm(vm, ns));

const terminalText = (page: Page) => page.getByTestId('serial-console').locator('.xterm-rows').innerText();

async function bootId(): Promise<string> {
  const shell = await serialShell(ns, vm, { timeoutMs: 90_000 });
  const out = await shell.run('echo BOOT=$(cat /proc/sys/kernel/random/boot_id)=E$((1+1))ND', /=E2ND/, 20_000);
  shell.close();
  return /BOOT=([0-9a-f-]+)=E2ND/.exec(out)![1]!;
}

test('the serial console runs a command and takes a multi-line paste', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: portal.origin });
  await signIn(page, 'dev-a', `/vms/${ns}/${vm}`);
  await page.getByTestId('tab-console').click();
  await expect(page.getByTestId('console-state')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  const term = page.getByTestId('serial-console').locator('.xterm-helper-textarea');
  await term.focus();
  // The guest's console asks for Enter before it starts a shell: press it until the shell's prompt shows.
  await expect
    .poll(async () => {
      await page.keyboard.press('Enter');
      return terminalText(page);
    }, { timeout: 30_000, intervals: [1000] })
    .toContain(`root@${vm}`);
  await page.keyboard.type('uname -a\n');
  await expect.poll(() => terminalText(page), { timeout: 20_000 }).toMatch(/Linux \S+ \d+\.\d+/);

  // Two lines from the clipboard arrive as typed: both commands run.
  await page.evaluate(() => navigator.clipboard.writeText('echo PASTE-ONE-$((40+2))\necho PASTE-TWO-$((50+8))\n'));
  await page.getByTestId('console-paste').click();
  await expect.poll(() => terminalText(page), { timeout: 20_000 }).toContain('PASTE-ONE-42');
  await expect.poll(() => terminalText(page), { timeout: 20_000 }).toContain('PASTE-TWO-58');
});

test('the VNC console shows the guest screen, sends Ctrl+Alt+Del, and hands the session over between viewers', async ({ page, browser }) => {
  test.setTimeout(240_000);
  // KubeVirt's own screenshot of the screen, taken before any viewer holds the session.
  const shot = await api('GET', subresource(ns, 'virtualmachineinstances', vm, 'vnc/screenshot'));
  expect(shot.status).toBe(200);
  const width = shot.body.readUInt32BE(16);
  const height = shot.body.readUInt32BE(20);

  await signIn(page, 'dev-a', `/vms/${ns}/${vm}`);
  await page.getByTestId('tab-vnc').click();
  await expect(page.getByTestId('vnc-state')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  // The canvas is the guest's screen: its size, and more than one colour on it.
  await expect
    .poll(
      () =>
        page.getByTestId('vnc-console').locator('canvas').first().evaluate((c: HTMLCanvasElement) => {
          const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          const colours = new Set<number>();
          for (let i = 0; i < data.length; i += 4 * 97) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
          return { width: c.width, height: c.height, colours: Math.min(colours.size, 2) };
        }),
      { timeout: 20_000 },
    )
    .toEqual({ width, height, colours: 2 });

  // Ctrl+Alt+Del: the guest's init reboots it (a new boot id), the VMI stays.
  const before = await bootId();
  await page.getByTestId('vnc-send-keys').click();
  await page.getByTestId('vnc-ctrl-alt-del').click();
  // A read that meets the reboot itself (the shell dies under the command) tells nothing: the poll asks again.
  await expect.poll(() => bootId().catch(() => before), { timeout: 120_000 }).not.toBe(before);

  // A second viewer is told the session is held, and may take it over; the first then says so.
  const second = await browser.newPage();
  await signIn(second, 'dev-a', `/vms/${ns}/${vm}`);
  await second.getByTestId('tab-vnc').click();
  await expect(second.getByTestId('vnc-state')).toHaveAttribute('data-state', 'held', { timeout: 30_000 });
  await second.getByTestId('vnc-takeover').click();
  await expect(second.getByTestId('vnc-state')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  await expect(page.getByTestId('vnc-state')).toHaveAttribute('data-state', 'taken-over', { timeout: 30_000 });
  await second.close();
});

/** A websocket upgrade to the portal, as a script would make it: its own Origin, Host and cookie. */
function upgrade(path: string, headers: Record<string, string>): Promise<{ opened: boolean; status?: number; closeCode?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://${portal.host}${path}`, ['plain.kubevirt.io'], { headers, handshakeTimeout: 10_000 });
    let opened = false;
    ws.on('unexpected-response', (_req, res) => {
      resolve({ opened: false, status: res.statusCode });
      ws.terminate();
    });
    ws.on('open', () => {
      opened = true;
      resolve({ opened });
      ws.close();
    });
    ws.on('close', (code) => resolve({ opened, closeCode: code }));
    ws.on('error', () => resolve({ opened, status: 0 }));
  });
}

test('console upgrades without a session, from a foreign origin, for a VM not allowed, or on an unknown path are refused', async ({ page }) => {
  const other = uniqueName('e2e-con-b');
  createVm(other, 'team-b', 'Halted');
  try {
    await signIn(page, 'dev-a', `/vms/${ns}/${vm}`);
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const path = `/api/consoles/${ns}/${vm}/serial`;
    expect(await upgrade(path, { origin: portal.origin })).toMatchObject({ opened: false, status: 401 });
    expect(await upgrade(path, { cookie, origin: 'http://evil.example' })).toMatchObject({ opened: false, status: 403 });
    // DNS rebinding: a Host that agrees with the forged Origin does not help.
    expect(await upgrade(path, { cookie, origin: 'http://evil.example:3000', host: 'evil.example:3000' })).toMatchObject({ opened: false, status: 403 });
    // dev-a may not open consoles in team-b.
    expect(await upgrade(`/api/consoles/team-b/${other}/serial`, { cookie, origin: portal.origin })).toMatchObject({ opened: false, status: 403 });
    // Nobody serves this path: refused at once rather than left open.
    const t0 = Date.now();
    const unknown = await upgrade('/api/nothing-here', { cookie, origin: portal.origin });
    expect(unknown.opened).toBe(false);
    expect(Date.now() - t0).toBeLessThan(5_000);
    // The real thing, for contrast: it opens.
    const ok = await upgrade(path, { cookie, origin: portal.origin });
    expect(ok.opened).toBe(true);
  } finally {
    deleteVm(other, 'team-b');
  }
});
