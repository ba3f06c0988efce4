import { describe, expect, it } from 'vitest';
import { renderToString } from 'react-dom/server';
import { I18nProvider } from '../i18n/I18nProvider';
import { StatusBadge } from './StatusBadge';
import { catalogues, translator, type Locale } from '@/lib/i18n/locales';
import { vmStatus } from '@/lib/kubevirt/status';

// The badge a VM's row and page show for each step of a start, in both languages: what the e2e lifecycle spec
// cannot always see drawn, because the sandbox's VM passes through Starting in about 130 ms.
describe.each(['en', 'zh-CN'] as const)('the status badge (%s)', (locale: Locale) => {
  const t = translator(catalogues[locale]);
  it.each(['Stopped', 'Starting', 'Running'] as const)('shows %s from the VM\'s printableStatus, marked for tests', (printable) => {
    const html = renderToString(
      <I18nProvider locale={locale} messages={catalogues[locale]}>
        <StatusBadge status={vmStatus({ metadata: { name: 'vm-1', namespace: 'team-a' }, status: { printableStatus: printable } } as never)} />
      </I18nProvider>,
    );
    expect(html).toContain(`data-status="${printable}"`);
    expect(html).toContain(`>${t(`status.${printable}`)}<`);
    expect(t(`status.${printable}`)).not.toBe(`status.${printable}`);
  });
});
