'use client';
import type { ReactNode } from 'react';
import { useT } from '../../i18n/I18nProvider';
import { buttonClass } from './fields';
import { formatQuantity } from './units';
import type { StepId } from './steps';
import { Data } from '@/lib/i18n/interpolate';
import type { CreateVmFormInput } from '@/lib/kubevirt/create/form';
import type { CreateOptions } from '@/lib/shared/create-api';

type Values = Partial<CreateVmFormInput>;

// Lines of a text as an editor counts them: a final newline starts no line of its own.
const lineCount = (text: string) => text.replace(/\r?\n$/, '').split('\n').length;

function Row({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[11rem_1fr] gap-2 py-0.5">
      <dt className="text-slate-500">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Part({ step, title, onEdit, children }: { step: StepId; title: string; onEdit: (s: StepId) => void; children: ReactNode }) {
  const t = useT();
  return (
    <section className="rounded border border-slate-200 bg-white p-3" aria-labelledby={`create-summary-${step}`} data-testid={`summary-${step}`}>
      <div className="mb-1 flex items-center gap-2">
        <h3 id={`create-summary-${step}`} className="font-semibold">
          {title}
        </h3>
        <button type="button" className={`${buttonClass} ml-auto py-0.5`} aria-label={t('create.review.editStep', { step: title })} onClick={() => onEdit(step)}>
          {t('create.review.edit')}
        </button>
      </div>
      <dl className="text-sm">{children}</dl>
    </section>
  );
}

// What the wizard will create, step by step, each part with a way back to its step.
export function ReviewSummary({ values: v, options, onEdit }: { values: Values; options: CreateOptions | undefined; onEdit: (s: StepId) => void }) {
  const t = useT();
  const src = v.bootSource;
  const size = v.size;
  const disks = v.extraDisks ?? [];
  const nets = v.networks ?? [];
  const ci = v.cloudInit;
  const it = size?.kind === 'instancetype' ? options?.instancetypes.find((i) => i.name === size.instancetype) : undefined;
  const none = <span className="text-slate-500">{t('common.none')}</span>;
  const storageOf = (d: { size?: string; storageClass?: string; accessMode?: string; volumeMode?: string } | undefined) => (
    <>
      {formatQuantity(d?.size)}
      {' · '}
      {d?.storageClass ? <Data>{d.storageClass}</Data> : t('create.storage.clusterDefault')}
      {d?.accessMode ? (
        <>
          {' · '}
          <Data>{d.accessMode}</Data>
        </>
      ) : null}
      {d?.volumeMode ? (
        <>
          {' · '}
          <Data>{d.volumeMode}</Data>
        </>
      ) : null}
    </>
  );

  return (
    <div className="grid gap-3 lg:grid-cols-2" data-testid="create-summary">
      <Part step="basics" title={t('create.step.basics')} onEdit={onEdit}>
        <Row label={t('create.basics.namespace')}>
          <Data>{v.namespace}</Data>
        </Row>
        <Row label={t('create.basics.name')}>
          <Data>{v.name}</Data>
        </Row>
      </Part>
      <Part step="source" title={t('create.step.source')} onEdit={onEdit}>
        <Row label={src ? t(`create.source.kind.${src.kind}`) : t('create.step.source')}>
          {!src ? none : src.kind === 'containerDisk' ? <Data>{src.image}</Data> : src.kind === 'http' ? <Data>{src.url}</Data> : <Data>{`${src.namespace}/${src.name}`}</Data>}
        </Row>
      </Part>
      <Part step="size" title={t('create.step.size')} onEdit={onEdit}>
        {size?.kind === 'instancetype' ? (
          <Row label={t('create.size.kind.instancetype')}>
            <Data>{size.instancetype}</Data>
            {it ? <> ({t('create.size.cpuMemory', { cpu: it.cpu, memory: formatQuantity(it.memory) })})</> : null}
          </Row>
        ) : size?.kind === 'custom' ? (
          <Row label={t('create.size.kind.custom')}>{t('create.size.cpuMemory', { cpu: Number(size.cpu), memory: formatQuantity(size.memory) })}</Row>
        ) : null}
        <Row label={t('create.size.preference')}>{size?.preference ? <Data>{size.preference}</Data> : none}</Row>
      </Part>
      <Part step="storage" title={t('create.step.storage')} onEdit={onEdit}>
        <Row label={t('create.storage.rootDisk')}>{src?.kind === 'containerDisk' ? t('create.review.ephemeral') : storageOf(v.rootDisk)}</Row>
        <Row label={t('create.storage.extraDisks')}>
          {disks.length ? (
            <ul>
              {disks.map((d, i) => (
                <li key={i}>
                  <Data>{d?.name}</Data>: {storageOf(d)}
                </li>
              ))}
            </ul>
          ) : (
            none
          )}
        </Row>
      </Part>
      <Part step="cloudInit" title={t('create.step.cloudInit')} onEdit={onEdit}>
        <Row label={t('create.cloudInit.sshKeys')}>{ci?.sshKeys?.length ? t('create.review.keys', { n: ci.sshKeys.length }) : none}</Row>
        <Row label={t('create.cloudInit.user')}>{ci?.user ? <Data>{ci.user}</Data> : t('create.review.defaultUser')}</Row>
        <Row label={t('create.cloudInit.password')}>{ci?.password ? t('create.review.passwordSet') : none}</Row>
        <Row label={t('create.cloudInit.userData')}>{ci?.userData ? t('create.review.lines', { n: lineCount(ci.userData) }) : none}</Row>
        {ci?.networkData ? <Row label={t('create.cloudInit.networkData')}>{t('create.review.lines', { n: lineCount(ci.networkData) })}</Row> : null}
      </Part>
      <Part step="networks" title={t('create.step.networks')} onEdit={onEdit}>
        {nets.length ? (
          nets.map((n, i) => (
            <Row key={i} label={<Data>{n?.name}</Data>}>
              {n?.source?.kind === 'multus' ? <Data>{n.source.networkName}</Data> : t('net.pod')} · {n?.binding ? t(`create.networks.binding.${n.binding}`) : ''}
            </Row>
          ))
        ) : (
          <Row label={t('create.networks.caption')}>{none}</Row>
        )}
      </Part>
      <Part step="run" title={t('create.step.run')} onEdit={onEdit}>
        <Row label={t('create.run.strategy')}>{t(`create.run.strategy.${v.runStrategy ?? 'Always'}`)}</Row>
        <Row label={t('create.run.start')}>{v.start === false || v.runStrategy === 'Halted' ? t('common.no') : t('common.yes')}</Row>
      </Part>
    </div>
  );
}
