import { describe, expect, it, vi } from 'vitest';
import type { ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { I18nProvider } from '../../i18n/I18nProvider';
import { PasteDialog, SendKeysMenu, VncConsole } from './VncConsole';
import { catalogues, type Locale } from '@/lib/i18n/locales';

// The console's markup as the server would render it (no browser, so no socket and no noVNC): the test hooks are
// there, the state line starts at "connecting", and no message key shows in place of a sentence, in both languages.
vi.mock('@novnc/novnc', () => ({ default: class {} }));

function render(locale: Locale, node: ReactNode) {
  return renderToString(
    <QueryClientProvider client={new QueryClient()}>
      <I18nProvider locale={locale} messages={catalogues[locale]}>
        {node}
      </I18nProvider>
    </QueryClientProvider>,
  );
}

const noKeys = (html: string) => expect(html).not.toMatch(/\bvnc\.[a-zA-Z]/);
const none = () => undefined;

describe.each(['en', 'zh-CN'] as const)('VNC console markup (%s)', (locale) => {
  it('has its hooks and a status line that starts at connecting, with the actions off until connected', () => {
    const html = render(locale, <VncConsole namespace="team-a" name="vm-1" />);
    noKeys(html);
    expect(html).toContain('data-testid="vnc-console"');
    expect(html).toMatch(/<p role="status" data-testid="vnc-state" data-state="connecting"/);
    expect(html).toContain(catalogues[locale]['vnc.state.connecting']);
    for (const id of ['vnc-send-keys', 'vnc-paste', 'vnc-screenshot']) expect(html).toMatch(new RegExp(`<button[^>]*disabled=""[^>]*data-testid="${id}"|<button[^>]*data-testid="${id}"[^>]*disabled=""`));
    expect(html).toContain('href="/vms/team-a/vm-1/vnc"');
    expect(render(locale, <VncConsole namespace="team-a" name="vm-1" fullWindow />)).not.toContain('vnc-open-window');
  });

  it('offers Ctrl+Alt+Del and Ctrl+Alt+F1..F12 in the send-keys menu', () => {
    const html = render(locale, <SendKeysMenu open setOpen={none} disabled={false} onCtrlAltDel={none} onCtrlAltFn={none} />);
    noKeys(html);
    expect(html).toContain('data-testid="vnc-ctrl-alt-del"');
    expect(html.match(/role="menuitem"/g)).toHaveLength(13);
    expect(html).toContain('Ctrl+Alt+F12');
  });

  it('asks for the text and the guest layout when pasting', () => {
    const html = render(locale, <PasteDialog open onClose={none} onType={none} />);
    noKeys(html);
    expect(html).toContain('data-testid="vnc-paste-text"');
    expect(html).toContain('<option value="us"');
    expect(html).toContain('<option value="de"');
    expect(html).toContain(catalogues[locale]['vnc.paste.layout.de']);
  });
});
