'use client';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useT } from '../i18n/I18nProvider';
import { Dialog } from '../ui/Dialog';
import { buttonClass } from '../create/wizard/fields';
import { AdminError } from './AdminError';
import { adminKeys } from './use-admin';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { apiFetch, ApiError } from '@/lib/live/api-client';
import { apiPaths } from '@/lib/shared/api-paths';
import type { DeleteProjectResponse, ProjectDetail } from '@/lib/admin/projects';

// Deleting a project: a dialog that lists what goes (VMs and claims first) and asks for the name to be typed, then
// the deletion's progress until the namespace is gone: VMs first (the server deletes the namespace only once none is
// left), then the namespace, followed until the API server no longer has it.

const EVERY_MS = 2000;
// The page stops following after this long and says so; the namespace keeps going without it.
const GIVE_UP_MS = 15 * 60_000;

export function DeleteProjectDialog({ project, open, onClose, onConfirm }: { project: ProjectDetail; open: boolean; onClose: () => void; onConfirm: () => void }) {
  const t = useT();
  const [typed, setTyped] = useState('');
  const { vms, claims } = project.contents;
  const ready = typed === project.name;
  return (
    <Dialog open={open} onClose={onClose} title={t('admin.delete.title', { name: project.name })} testId="delete-project">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) onConfirm();
        }}
        className="flex flex-col gap-3 text-sm"
      >
        <p>{interpolate(t('admin.delete.intro'), { name: <Data className="font-mono">{project.name}</Data> })}</p>
        <div>
          <h3 className="font-semibold">{t('admin.delete.vms', { count: vms.length })}</h3>
          {vms.length ? (
            <ul className="max-h-32 list-disc overflow-auto pl-5" data-testid="delete-vms">
              {vms.map((v) => (
                <li key={v.name} data-testid="delete-vm" data-name={v.name}>
                  <Data className="font-mono">{v.name}</Data>
                  {v.status ? <span className="text-slate-500"> (<Data>{v.status}</Data>)</span> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-slate-500">{t('common.none')}</p>
          )}
        </div>
        <div>
          <h3 className="font-semibold">{t('admin.delete.claims', { count: claims.length })}</h3>
          {claims.length ? (
            <ul className="max-h-32 list-disc overflow-auto pl-5" data-testid="delete-claims">
              {claims.map((c) => (
                <li key={`${c.kind}/${c.name}`}>
                  <Data className="font-mono">{`${c.kind} ${c.name}${c.size ? ` (${c.size})` : ''}`}</Data>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-slate-500">{t('common.none')}</p>
          )}
        </div>
        <p data-testid="delete-rest">{interpolate(t('admin.delete.rest'), { name: <Data className="font-mono">{project.name}</Data> })}</p>
        <label className="block">
          <span className="mb-1 block font-medium">{interpolate(t('admin.delete.typeName'), { name: <Data className="font-mono">{project.name}</Data> })}</span>
          <input autoFocus data-testid="delete-confirm-name" className="w-full rounded border border-slate-300 px-2 py-1 font-mono" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} />
        </label>
        <div className="flex justify-end gap-2">
          <button type="button" className="rounded border border-slate-300 px-3 py-1.5" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" data-testid="delete-submit" disabled={!ready} className="rounded bg-red-700 px-3 py-1.5 font-medium text-white disabled:opacity-40">
            {t('admin.delete.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

type Progress = { state: 'vms'; remaining: string[] } | { state: 'namespace' } | { state: 'gone' } | { state: 'failed'; error: unknown } | { state: 'slow' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function DeleteProgress({ namespace }: { namespace: string }) {
  const t = useT();
  const qc = useQueryClient();
  const [progress, setProgress] = useState<Progress>({ state: 'vms', remaining: [] });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let stopped = false;
    const end = Date.now() + GIVE_UP_MS;
    setProgress({ state: 'vms', remaining: [] });
    const gone = (err: unknown) => err instanceof ApiError && err.status === 404;
    (async () => {
      try {
        // VMs first: the server deletes what is left of them, and the namespace once none is.
        for (;;) {
          const step = await apiFetch<DeleteProjectResponse>(apiPaths.adminProject(namespace), { method: 'DELETE', body: { confirm: namespace } }).catch((err: unknown) => {
            if (gone(err)) return { state: 'namespace' as const, remainingVms: [] };
            throw err;
          });
          if (stopped) return;
          if (step.state === 'namespace') break;
          setProgress({ state: 'vms', remaining: step.remainingVms });
          if (Date.now() > end) return setProgress({ state: 'slow' });
          await sleep(EVERY_MS);
          if (stopped) return;
        }
        setProgress({ state: 'namespace' });
        // Then the namespace, until the API server no longer has it.
        for (;;) {
          try {
            await apiFetch<unknown>(apiPaths.adminProject(namespace));
          } catch (err) {
            if (gone(err)) break;
            throw err;
          }
          if (stopped) return;
          if (Date.now() > end) return setProgress({ state: 'slow' });
          await sleep(EVERY_MS);
          if (stopped) return;
        }
        if (stopped) return;
        setProgress({ state: 'gone' });
        qc.removeQueries({ queryKey: adminKeys.project(namespace) });
        void qc.invalidateQueries({ queryKey: adminKeys.projects });
        void qc.invalidateQueries({ queryKey: ['namespaces'] });
      } catch (error) {
        if (!stopped) setProgress({ state: 'failed', error });
      }
    })();
    return () => {
      stopped = true;
    };
  }, [namespace, qc, attempt]);

  const steps = [
    { id: 'vms', label: t('admin.delete.stepVms'), done: progress.state === 'namespace' || progress.state === 'gone', current: progress.state === 'vms' },
    { id: 'namespace', label: t('admin.delete.stepNamespace'), done: progress.state === 'gone', current: progress.state === 'namespace' },
  ];
  return (
    <section aria-labelledby="delete-progress-title" className="m-4 flex max-w-2xl flex-col gap-3 rounded border border-slate-200 bg-white p-4" data-testid="delete-progress" data-state={progress.state}>
      <h1 id="delete-progress-title" className="text-xl font-semibold">
        {interpolate(t('admin.delete.progressTitle'), { name: <Data>{namespace}</Data> })}
      </h1>
      <ol className="flex flex-col gap-1 text-sm" aria-live="polite">
        {steps.map((s) => (
          <li key={s.id} data-testid={`delete-step-${s.id}`} data-done={s.done} className={s.current ? 'font-semibold' : s.done ? 'text-emerald-800' : 'text-slate-500'}>
            <span aria-hidden>{s.done ? '✓ ' : s.current ? '… ' : '○ '}</span>
            {s.label}
            {s.done ? <span className="sr-only"> ({t('admin.delete.stepDone')})</span> : null}
          </li>
        ))}
      </ol>
      {progress.state === 'vms' && progress.remaining.length ? (
        <p className="text-sm" data-testid="delete-remaining">
          {interpolate(t('admin.delete.remaining'), { vms: <Data className="font-mono">{progress.remaining.join(', ')}</Data> })}
        </p>
      ) : null}
      {progress.state === 'gone' ? (
        <p className="text-sm text-emerald-900" role="status" data-testid="delete-done">
          {interpolate(t('admin.delete.done'), { name: <Data>{namespace}</Data> })}{' '}
          <Link href="/admin/projects" className="text-sky-700 hover:underline">
            {t('admin.back')}
          </Link>
        </p>
      ) : null}
      {progress.state === 'slow' ? (
        <p className="text-sm text-amber-900" role="status" data-testid="delete-slow">
          {t('admin.delete.slow')}
        </p>
      ) : null}
      {progress.state === 'failed' ? <AdminError error={progress.error} testId="delete-error" onRetry={() => setAttempt((n) => n + 1)} /> : null}
      {progress.state === 'slow' ? (
        <div>
          <button type="button" className={buttonClass} onClick={() => setAttempt((n) => n + 1)}>
            {t('common.retry')}
          </button>
        </div>
      ) : null}
    </section>
  );
}
