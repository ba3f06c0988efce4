'use client';
import { useI18n } from '../i18n/I18nProvider';
import { Field, Section, Table } from './DefinitionList';
import { StatusBadge } from './StatusBadge';
import { formatTimestamp } from '@/lib/i18n/format';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { formatBytes } from '@/lib/kubevirt/quantity';
import { disks, guestOs, instanceTypeName, interfaceAddresses, memoryBytes, networks, nodeName, runStrategy, vcpus } from '@/lib/kubevirt/selectors';
import { vmStatus } from '@/lib/kubevirt/status';
import type { VirtualMachine, VirtualMachineInstance } from '@/lib/kubevirt/types';

export function VmOverview({ vm, vmi }: { vm: VirtualMachine; vmi?: VirtualMachineInstance }) {
  const { t, locale } = useI18n();
  const os = guestOs(vmi);
  const cpu = vcpus(vm, vmi);
  const conditions = [...(vm.status?.conditions ?? [])];
  const ifaces = interfaceAddresses(vmi);
  const labels = Object.entries(vm.metadata?.labels ?? {});
  const none = <span className="text-slate-400">{t('common.none')}</span>;
  const yesNo = (s: string | undefined) => (s === 'True' ? t('common.yes') : s === 'False' ? t('common.no') : t('common.unknown'));

  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Section title={t('detail.tab.overview')}>
        <dl>
          <Field label={t('detail.status')}>
            <StatusBadge status={vmStatus(vm)} />
          </Field>
          <Field label={t('detail.namespace')}>
            <Data>{vm.metadata?.namespace}</Data>
          </Field>
          <Field label={t('detail.created')}>{formatTimestamp(vm.metadata?.creationTimestamp, locale)}</Field>
          <Field label={t('detail.node')} testId="detail-node">
            {nodeName(vmi) ? <Data>{nodeName(vmi)}</Data> : none}
          </Field>
          <Field label={t('detail.runStrategy')}>
            <Data>{runStrategy(vm)}</Data>
          </Field>
          <Field label={t('detail.guestOs')} testId="detail-guest-os">
            {os ? <Data>{`${os.prettyName ?? ''}${os.kernel ? ` (${os.kernel})` : ''}`}</Data> : <span className="text-slate-400">{t('detail.guestOsNone')}</span>}
          </Field>
          {instanceTypeName(vm) ? (
            <Field label={t('detail.instanceType')}>
              <Data>{instanceTypeName(vm)}</Data>
            </Field>
          ) : null}
          <Field label={t('detail.cpu')}>{cpu !== undefined ? t('list.cpuValue', { n: cpu }) : none}</Field>
          <Field label={t('detail.memory')}>{formatBytes(memoryBytes(vm, vmi)) || none}</Field>
          <Field label={t('detail.labels')}>
            {labels.length ? (
              <span className="flex flex-wrap gap-1">
                {labels.map(([k, v]) => (
                  <span key={k} translate="no" className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">
                    {k}={v}
                  </span>
                ))}
              </span>
            ) : (
              none
            )}
          </Field>
        </dl>
      </Section>
      <Section title={t('detail.conditions')}>
        {conditions.length ? (
          <Table
            testId="conditions"
            head={[t('detail.cond.type'), t('detail.cond.status'), t('detail.cond.reason'), t('detail.cond.message'), t('detail.cond.changed')]}
            rows={conditions.map((c) => [<Data key="type">{c.type}</Data>, yesNo(c.status), <Data key="reason">{c.reason}</Data>, <Data key="message">{c.message}</Data>, formatTimestamp((c as { lastTransitionTime?: string }).lastTransitionTime, locale)])}
          />
        ) : (
          none
        )}
      </Section>
      <Section title={t('detail.interfaces')}>
        {ifaces.length ? (
          <Table
            testId="interfaces"
            head={[t('detail.if.name'), t('detail.if.guestName'), t('detail.if.mac'), t('detail.if.ips')]}
            rows={ifaces.map((i) => [<Data key="name">{i.name}</Data>, <Data key="guest">{i.interfaceName}</Data>, <Data key="mac" className="font-mono text-xs">{i.mac}</Data>, <Data key="ip" className="font-mono text-xs">{i.ips.join(', ')}</Data>])}
          />
        ) : (
          <p className="text-sm text-slate-500">{t('detail.ifNone')}</p>
        )}
      </Section>
      <Section title={t('detail.disks')}>
        <Table
          testId="disks"
          head={[t('detail.disk.name'), t('detail.disk.kind'), t('detail.disk.bus'), t('detail.disk.source')]}
          rows={disks(vm).map((d) => [<Data key="name">{d.name}</Data>, t(`disk.kind.${d.kind}`), <Data key="bus">{d.bus}</Data>, d.sourceType === 'other' ? t('disk.source.other') : interpolate(t(`disk.source.${d.sourceType}`), { source: <Data>{d.source}</Data> })])}
        />
      </Section>
      <Section title={t('detail.networks')}>
        <Table
          testId="networks"
          head={[t('detail.net.name'), t('detail.net.network'), t('detail.net.binding'), t('detail.net.model')]}
          rows={networks(vm, vmi).map((n) => [
            <Data key="name">{n.name}</Data>,
            <span key="net">
              {n.network === 'pod' ? t('net.pod') : <Data>{n.network}</Data>}
              {n.implicit && <span className="ml-1 text-xs text-slate-500">{t('net.implicit')}</span>}
            </span>,
            n.binding ? <Data key="binding">{n.binding}</Data> : t('net.binding.clusterDefault'),
            <Data key="model">{n.model}</Data>,
          ])}
        />
      </Section>
    </div>
  );
}
