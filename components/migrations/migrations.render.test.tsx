import { describe, expect, it } from 'vitest';
import type { ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { I18nProvider } from '../i18n/I18nProvider';
import { ToastProvider } from '../ui/Toaster';
import { MigrateDialog } from './MigrateDialog';
import { MigrationsPanel } from './MigrationsPanel';
import { MigrationsPageView } from './MigrationsPageView';
import { MigrationsNavLink } from './MigrationsNavLink';
import { catalogues, type Locale } from '@/lib/i18n/locales';
import { VM_ACTIONS } from '@/lib/kubevirt/actions';
import type { VirtualMachine, VirtualMachineInstance, VirtualMachineInstanceMigration } from '@/lib/kubevirt/types';

// The Migrations tab and the migrate dialog as the server renders them (no browser: no poll, no node list yet): the
// e2e hooks are there, the current phase is marked, the names are data, and no message key shows in place of a
// sentence, in both languages.

function render(locale: Locale, node: ReactNode) {
  return renderToString(
    <QueryClientProvider client={new QueryClient()}>
      <I18nProvider locale={locale} messages={catalogues[locale]}>
        <ToastProvider>{node}</ToastProvider>
      </I18nProvider>
    </QueryClientProvider>,
  );
}

const noKeys = (html: string) => expect(html).not.toMatch(/\bmigration\.[a-zA-Z]+\.?[a-zA-Z]*\b(?![-\w]*=)/);

const vm: VirtualMachine = { metadata: { name: 'vm-1', namespace: 'team-a' }, spec: { runStrategy: 'Always', template: {} as never }, status: { printableStatus: 'Running', created: true } };
const vmi = (conditions: object[], extra: object = {}): VirtualMachineInstance => ({
  metadata: { name: 'vm-1', namespace: 'team-a' },
  spec: { domain: { devices: {} }, volumes: [{ name: 'rootdisk', persistentVolumeClaim: { claimName: 'root-claim' } }] } as never,
  status: { phase: 'Running', nodeName: 'worker-1', conditions: conditions as never, ...extra },
});
const T = (s: number) => `2026-01-01T10:00:${String(s).padStart(2, '0')}Z`;
const mig = (name: string, phase: string, phases: string[], created: number, state: object = {}): VirtualMachineInstanceMigration => ({
  metadata: { name, namespace: 'team-a', uid: `uid-${name}`, creationTimestamp: T(created) },
  spec: { vmiName: 'vm-1' },
  status: { phase, phaseTransitionTimestamps: phases.map((p, i) => ({ phase: p, phaseTransitionTimestamp: T(created + i) })) as never, migrationState: state as never },
});
const running = mig('kubevirt-migrate-vm-new', 'Running', ['Pending', 'Scheduling', 'Scheduled', 'PreparingTarget', 'TargetReady', 'Running'], 30, { sourceNode: 'worker-1', targetNode: 'worker-2' });
const done = mig('kubevirt-migrate-vm-old', 'Succeeded', ['Pending', 'Scheduling', 'Scheduled', 'PreparingTarget', 'TargetReady', 'Running', 'Succeeded'], 0, { sourceNode: 'worker-2', targetNode: 'worker-1' });
const failed = mig('kubevirt-migrate-vm-bad', 'Failed', ['Pending', 'Failed'], 10, { failed: true, failureReason: 'target pod could not be scheduled' });
const yes = () => true;

describe.each(['en', 'zh-CN'] as const)('migration views (%s)', (locale) => {
  const m = catalogues[locale];

  it('a migration in progress: timeline with the current phase, nodes, progress and Cancel; then the history', () => {
    const html = render(locale, <MigrationsPanel vm={vm} vmi={vmi([{ type: 'LiveMigratable', status: 'True' }])} list={{ items: [done, running, failed], isPending: false, error: null }} allowed={yes} />);
    noKeys(html);
    expect(html).toMatch(/data-testid="migration-timeline" data-name="kubevirt-migrate-vm-new" data-phase="Running" data-result="running"/);
    expect(html).toMatch(/data-testid="migration-phase" data-phase="Running"/);
    expect(html).toMatch(/data-testid="migration-step" data-phase="Running" data-state="current" aria-current="step"/);
    expect(html).toMatch(/data-testid="migration-step" data-phase="Succeeded" data-state="upcoming"/);
    expect(html).toMatch(/data-testid="migration-source"><span translate="no"[^>]*>worker-1</);
    expect(html).toMatch(/data-testid="migration-target"><span translate="no"[^>]*>worker-2</);
    expect(html).toContain('data-testid="migration-progress"');
    expect(html).toMatch(/<button[^>]*data-testid="migration-cancel"/);
    expect(html).not.toMatch(/<button[^>]*data-testid="migration-cancel"[^>]*disabled=""/);
    expect(html).toContain(m['migration.panel.current']);
    expect(html).toMatch(/data-testid="migration-history" data-count="2"/);
    expect(html).toMatch(/data-testid="migration-history-row" data-name="kubevirt-migrate-vm-bad" data-result="failed"/);
    expect(html.indexOf('kubevirt-migrate-vm-bad')).toBeLessThan(html.indexOf('data-name="kubevirt-migrate-vm-old"'));
    expect(html).toContain(m['migration.panel.canMigrate']);
  });

  it('none in progress: the last one, finished, with no Cancel and no poll', () => {
    const html = render(locale, <MigrationsPanel vm={vm} vmi={vmi([{ type: 'LiveMigratable', status: 'True' }])} list={{ items: [done, failed], isPending: false, error: null }} allowed={yes} />);
    noKeys(html);
    expect(html).toMatch(/data-testid="migration-timeline" data-name="kubevirt-migrate-vm-bad" data-phase="Failed" data-result="failed"/);
    expect(html).toContain('target pod could not be scheduled');
    expect(html).toContain(m['migration.panel.last']);
    expect(html).not.toContain('migration-cancel');
    expect(html).not.toContain('migration-progress');
  });

  it('Cancel is off, with the reason, for a user who may not delete migrations', () => {
    const html = render(locale, <MigrationsPanel vm={vm} vmi={vmi([])} list={{ items: [running], isPending: false, error: null }} allowed={() => false} />);
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*data-testid="migration-cancel"|<button[^>]*data-testid="migration-cancel"[^>]*disabled=""/);
    expect(html).toContain('virtualmachineinstancemigrations');
  });

  it('a VM that cannot be migrated says why in plain words, with KubeVirt\'s words after', () => {
    const msg = 'cannot migrate VMI: PVC root-claim is not shared, live migration requires that all PVCs must be shared (using ReadWriteMany access mode)';
    const html = render(
      locale,
      <MigrationsPanel
        vm={vm}
        vmi={vmi([{ type: 'LiveMigratable', status: 'False', reason: 'DisksNotLiveMigratable', message: msg }], { volumeStatus: [{ name: 'rootdisk', persistentVolumeClaimInfo: { claimName: 'root-claim', accessModes: ['ReadWriteOnce'] } }] })}
        list={{ items: [], isPending: false, error: null }}
        allowed={yes}
      />,
    );
    noKeys(html);
    expect(html).toMatch(/data-testid="migration-migratable" data-ok="false"/);
    expect(html).toMatch(/data-testid="migration-block" data-reason="DisksNotLiveMigratable"/);
    expect(html).toMatch(/>rootdisk</);
    expect(html).toMatch(/>root-claim</);
    expect(html).toMatch(/>ReadWriteOnce</);
    expect(html).toContain('live migration requires that all PVCs must be shared');
    expect(html).toContain('data-testid="migration-none"');
    expect(html).toMatch(/data-testid="migration-history" data-count="0"/);
  });

  it('the migrate dialog has the node picker, "let the scheduler choose" first, and says where the VM runs', () => {
    const html = render(locale, <MigrateDialog def={VM_ACTIONS.migrate} vm={vm} vmi={vmi([])} onCancel={() => {}} onConfirm={() => {}} />);
    noKeys(html);
    expect(html).toContain('data-testid="migrate-dialog"');
    expect(html).toMatch(/<select[^>]*data-testid="migrate-node"/);
    expect(html).toContain(`<option value="" selected="">${m['migration.dialog.anyNode']}</option>`);
    expect(html).toMatch(/>worker-1</);
    expect(html).toContain('data-testid="migrate-submit"');
  });

  it('the migrations page starts loading (its scope is asked in the browser), and the nav link waits for a yes', () => {
    const html = render(locale, <MigrationsPageView />);
    noKeys(html);
    expect(html).toMatch(/data-testid="migrations-page"/);
    expect(html).toContain(m['migration.page.title']);
    expect(html).not.toContain('migrations-table');
    expect(render(locale, <MigrationsNavLink />)).not.toContain('nav-migrations');
  });
});
