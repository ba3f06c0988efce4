'use client';
import Link from 'next/link';
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useT } from '../../i18n/I18nProvider';
import { ErrorPanel } from '../../vms/ErrorPanel';
import { NotAllowed } from '../../vms/NotAllowed';
import { initialForm } from './form-values';
import { createHref, type CreateQuery } from './query';
import { Wizard } from './Wizard';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { apiFetch, ApiError } from '@/lib/live/api-client';
import { snapshotFromWire } from '@/lib/live/wire';
import { apiPaths } from '@/lib/shared/api-paths';
import { formFromVm } from '@/lib/kubevirt/create/from-vm';
import type { CreateVmFormInput } from '@/lib/kubevirt/create/form';
import type { VirtualMachine } from '@/lib/kubevirt/types';
import type { ListWire } from '@/lib/shared/list-wire';

// The wizard's page: a blank form (in the namespace asked for), or one prefilled from an existing VM ("create like
// this"), read once the way the VM's own page reads it (the list route narrowed to its name), not followed live.
export function CreateWizard({ namespace, from }: CreateQuery) {
  const t = useT();
  const source = useQuery({
    queryKey: ['create-from', from?.namespace ?? '', from?.name ?? ''],
    enabled: Boolean(from),
    staleTime: Infinity,
    retry: (n, err) => !(err instanceof ApiError && [401, 403, 404].includes(err.status)) && n < 2,
    queryFn: async () => {
      const path = apiPaths.list({ resource: 'virtualmachines', namespaces: [from!.namespace], fieldSelector: `metadata.name=${from!.name}` });
      return snapshotFromWire(await apiFetch<ListWire<VirtualMachine>>(path)).items[0] ?? null;
    },
  });
  const initial = useMemo((): { form: CreateVmFormInput } | { failed: true } | undefined => {
    if (!from) return { form: initialForm(namespace) };
    if (!source.data) return undefined;
    try {
      return { form: formFromVm(source.data) };
    } catch {
      return { failed: true };
    }
  }, [from, namespace, source.data]);

  if (from) {
    if (source.error instanceof ApiError && source.error.status === 403) {
      const reason = source.error.body.details?.reason;
      return <NotAllowed namespace={from.namespace} name={from.name} reason={typeof reason === 'string' ? reason : undefined} />;
    }
    if (source.error) return <ErrorPanel error={source.error} onRetry={() => void source.refetch()} />;
    if (source.isPending) return <p className="p-4 text-slate-600">{t('common.loading')}</p>;
    if (source.data === null || (initial && 'failed' in initial)) {
      return (
        <div className="p-8 text-center" data-testid="create-from-missing">
          <p className="mb-2">
            {interpolate(t(source.data === null ? 'detail.notFound' : 'create.fromFailed'), { namespace: <Data>{from.namespace}</Data>, name: <Data>{from.name}</Data> })}
          </p>
          <Link href={createHref({ namespace: from.namespace })} className="text-sky-700 hover:underline">
            {t('create.startBlank')}
          </Link>
        </div>
      );
    }
  }
  if (!initial || 'failed' in initial) return <p className="p-4 text-slate-600">{t('common.loading')}</p>;

  const title = from
    ? interpolate(t('create.titleFrom'), { vm: <Data>{`${from.namespace}/${from.name}`}</Data> })
    : t('create.title');
  return <Wizard key={createHref({ namespace, from })} initial={initial.form} title={title} />;
}
