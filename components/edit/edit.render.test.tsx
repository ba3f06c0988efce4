import { describe, expect, it } from 'vitest';
import type { ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { I18nProvider } from '../i18n/I18nProvider';
import { ToastProvider } from '../ui/Toaster';
import { RestartRequiredBanner } from './RestartRequiredBanner';
import { VmSettings } from './VmSettings';
import { catalogues, type Locale } from '@/lib/i18n/locales';
import { accessKey } from '@/lib/kubevirt/actions';
import { VM_PATCH_ACCESS } from '@/lib/kubevirt/edits';
import type { VirtualMachine } from '@/lib/kubevirt/types';

// The Settings tab and the restart banner as the server renders them (no browser: no requests). The e2e hooks are
// there, Kubernetes' names are data, a viewer's form is disabled with the reason, and no message key shows in place
// of a sentence, in both languages.

function render(locale: Locale, node: ReactNode, patchAllowed?: boolean) {
  const client = new QueryClient();
  // What useAccessChecks would have asked: patch virtualmachines.kubevirt.io in team-a.
  if (patchAllowed !== undefined) client.setQueryData(['access-checks', 'team-a', [accessKey('', VM_PATCH_ACCESS)]], new Map([[accessKey('team-a', VM_PATCH_ACCESS), patchAllowed]]));
  return renderToString(
    <QueryClientProvider client={client}>
      <I18nProvider locale={locale} messages={catalogues[locale]}>
        <ToastProvider>{node}</ToastProvider>
      </I18nProvider>
    </QueryClientProvider>,
  );
}

const noKeys = (html: string) => expect(html).not.toMatch(/\b(edit|create|detail|reason)\.[a-zA-Z]+(\.[a-zA-Z]+)*\b(?![-\w]*=)/);

const vm = (extra: { spec?: object; status?: object } = {}): VirtualMachine =>
  ({
    metadata: { name: 'vm-1', namespace: 'team-a', uid: 'u1', resourceVersion: '42', labels: { 'kubevirt.io/os': 'linux', team: 'blue' }, annotations: { 'kubevirt.io/latest-observed-api-version': 'v1', note: 'hello' } },
    spec: { runStrategy: 'Always', template: { spec: { domain: { cpu: { cores: 2 }, devices: {}, resources: { requests: { memory: '1Gi' } } } } }, ...extra.spec },
    status: { printableStatus: 'Running', created: true, ...extra.status },
  }) as unknown as VirtualMachine;

const restartRequired = { conditions: [{ type: 'RestartRequired', status: 'True', message: 'a non-live-updatable field was changed in the template spec' }] };

describe.each(['en', 'zh-CN'] as const)('edit views (%s)', (locale) => {
  const m = catalogues[locale];

  it('the Settings tab: the user\'s rows editable, KubeVirt\'s read-only, the size and the run strategy explained', () => {
    const html = render(locale, <VmSettings vm={vm()} />, true);
    noKeys(html);
    expect(html).toContain('data-testid="edit-settings"');
    expect(html).not.toContain('data-testid="edit-readonly"');
    // team=blue as a row (its inputs get their values when they mount), kubevirt.io/os only as read-only data.
    expect(html.match(/data-testid="label-row"/g)).toHaveLength(1);
    expect(html).toMatch(/name="labels.0.key"/);
    expect(html).toMatch(/aria-label="[^"]*team"[^>]*data-testid="remove-label"/);
    expect(html).toMatch(/<span translate="no"[^>]*data-testid="managed-entry">kubevirt.io\/os<!-- -->=<!-- -->linux<\/span>/);
    expect(html.match(/data-testid="annotation-row"/g)).toHaveLength(1);
    expect(html).toMatch(/name="size.cpu"[^>]*|data-testid="edit-cpu"/);
    expect(html).toContain('data-testid="edit-memory"');
    expect(html).toContain(m['create.run.strategy.Always.hint']);
    expect(html).toContain(m['edit.run.Once.hint']);
    expect(html).toMatch(/<option value="Always" selected="">/);
    expect(html).toContain(m['edit.save']);
  });

  it('a viewer sees it read-only, with the reason in Kubernetes\' words', () => {
    const html = render(locale, <VmSettings vm={vm()} />, false);
    noKeys(html);
    expect(html).toContain('data-testid="edit-readonly"');
    expect(html).toMatch(/<span translate="no">patch<\/span>/);
    expect(html).toMatch(/<span translate="no">virtualmachines<\/span>/);
    expect(html).toMatch(/<fieldset disabled=""/);
  });

  it('while a snapshot holds the VM, size and run strategy say so and are disabled', () => {
    const html = render(locale, <VmSettings vm={vm({ status: { snapshotInProgress: 'snap-1' } })} />, true);
    noKeys(html);
    expect(html.match(/data-testid="edit-section-locked"/g)).toHaveLength(2);
    expect(html).toContain('>snap-1<');
  });

  it('an instance type VM: the instance type, the current one shown before the list arrives', () => {
    const html = render(locale, <VmSettings vm={vm({ spec: { instancetype: { name: 'u1.nano' } } })} />, true);
    noKeys(html);
    expect(html).toContain('data-testid="edit-instancetype"');
    expect(html).toMatch(/<option value="u1.nano" translate="no" selected="">u1.nano<\/option>/);
    expect(html).not.toContain('data-testid="edit-cpu"');
  });

  it('the banner: only with RestartRequired, KubeVirt\'s message as data, Restart offered', () => {
    expect(render(locale, <RestartRequiredBanner vm={vm()} allowed={() => true} />)).toBe('<div aria-live="polite" class="fixed bottom-4 right-4 z-50 flex w-96 max-w-[calc(100vw-2rem)] flex-col gap-2"></div>');
    const html = render(locale, <RestartRequiredBanner vm={vm({ status: restartRequired })} allowed={() => true} />);
    noKeys(html);
    expect(html).toContain('data-testid="restart-required"');
    expect(html).toContain(m['edit.restart.title']);
    expect(html).toMatch(/<span translate="no">a non-live-updatable field was changed in the template spec<\/span>/);
    expect(html).toMatch(/<button type="button" class="[^"]*" data-testid="restart-required-restart">/);
    expect(html).toContain(m['action.restart']);
  });

  it('the banner\'s Restart is disabled with the reason when it may not be used', () => {
    const forbidden = render(locale, <RestartRequiredBanner vm={vm({ status: restartRequired })} allowed={() => false} />);
    expect(forbidden).toMatch(/<button type="button"[^>]*disabled=""[^>]*data-testid="restart-required-restart">/);
    expect(forbidden).toContain('data-testid="restart-required-reason"');
    expect(forbidden).toMatch(/<span translate="no">virtualmachines\/restart<\/span>/);
    const halted = render(locale, <RestartRequiredBanner vm={vm({ spec: { runStrategy: 'Always' }, status: { ...restartRequired, printableStatus: 'Stopped', created: false } })} allowed={() => true} />);
    expect(halted).toContain(m['reason.notRunning']);
  });
});
