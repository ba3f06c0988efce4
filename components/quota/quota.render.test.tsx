import { describe, expect, it } from 'vitest';
import type { ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { I18nProvider } from '../i18n/I18nProvider';
import { QuotaTable } from '../create/wizard/QuotaTable';
import { OverheadNote } from './OverheadNote';
import { QuotaCompact, QuotaLines } from './QuotaPanel';
import { catalogues, type Locale } from '@/lib/i18n/locales';
import { quotaOption, usageLines } from '@/lib/kubevirt/quota-usage';

// The quota panel and the wizard's quota table as the server renders them: the numbers of `kubectl get
// resourcequota` are on each line (as data, and in words), the bar is a meter, and no message key shows.

function render(locale: Locale, node: ReactNode) {
  return renderToString(
    <QueryClientProvider client={new QueryClient()}>
      <I18nProvider locale={locale} messages={catalogues[locale]}>
        {node}
      </I18nProvider>
    </QueryClientProvider>,
  );
}

const noKeys = (html: string) => expect(html).not.toMatch(/\b(quota|create)\.[a-zA-Z]+\.?[a-zA-Z]*\b(?![-\w]*=)/);

const lines = usageLines([
  quotaOption({
    metadata: { name: 'team-quota' },
    status: {
      hard: { 'requests.cpu': '16', 'requests.memory': '32Gi', persistentvolumeclaims: '20' },
      used: { 'requests.cpu': '2100m', 'requests.memory': '40Gi', persistentvolumeclaims: '3' },
    },
  }),
]);

describe.each(['en', 'zh-CN'] as const)('quota views (%s)', (locale) => {
  it('shows each line with the quota\'s own numbers, a meter, and a line over its limit in words', () => {
    const html = render(locale, <QuotaLines namespace="team-a" lines={lines} />);
    noKeys(html);
    expect(html).toMatch(/data-testid="quota-usage-line" data-quota="team-quota" data-resource="requests.cpu" data-used="2100m" data-hard="16"/);
    expect(html).toContain(locale === 'en' ? '2.1 cores' : '2.1 核');
    expect(html).toContain('32 GiB');
    expect(html).toMatch(/role="meter"[^>]*aria-valuemax="16"[^>]*aria-valuenow="2.1"/);
    expect(html).toContain('125%');
    expect(html).toContain(catalogues[locale]['quota.over']);
  });

  it('the compact strip links to the namespace page', () => {
    const html = render(locale, <QuotaCompact namespace="team-a" lines={lines} />);
    noKeys(html);
    expect(html).toContain('href="/namespaces/team-a"');
    expect(html.match(/data-testid="quota-compact-line"/g)).toHaveLength(3);
  });

  it('says what the launcher adds to a typical VM, with KubeVirt\'s figure', () => {
    const html = render(locale, <OverheadNote />);
    noKeys(html);
    expect(html).toContain('276.0 MiB');
    expect(html).toContain('4 GiB');
    expect(html).toMatch(/<span translate="no"[^>]*>requests.memory<\/span>/);
  });

  it('the wizard\'s quota table draws the same bar, with what the VM adds', () => {
    const impact = { fits: true, lines: [{ quota: 'team-quota', resource: 'requests.memory', adds: 1024 ** 3, used: 2 * 1024 ** 3, hard: 8 * 1024 ** 3, unit: 'bytes' as const, fits: true }] };
    const html = render(locale, <QuotaTable impact={impact} quotaCount={1} warningId="w" />);
    noKeys(html);
    expect(html).toMatch(/role="meter"[^>]*data-share="0.375"/);
  });
});
