'use client';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { ErrorPanel } from '../vms/ErrorPanel';
import { formatTimestamp } from '@/lib/i18n/format';
import { Data } from '@/lib/i18n/interpolate';
import type { MessageKey } from '@/lib/i18n/locales';

// The pieces of the Snapshots tab's tables: the snapshots, and the restores and clones made from them.

/** A table's column headings. */
export function ColumnHeads({ keys }: { keys: readonly MessageKey[] }) {
  const { t } = useI18n();
  return (
    <thead>
      <tr className="border-b border-slate-200 text-slate-500">
        {keys.map((k) => (
          <th key={k} className="py-1 pr-3 font-medium">
            {t(k)}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/**
 * A section of what was made from the VM's snapshots (restores, clones), followed live: its heading, then the list's
 * error, "loading" or `none` while it is empty, or a table of `columns` with the rows given as children.
 */
export function MadeFromSnapshots(props: {
  heading: MessageKey;
  list: { error: unknown; isPending: boolean; items: readonly unknown[]; refetch: () => unknown };
  none: MessageKey;
  noneTestId: string;
  testId: string;
  columns: readonly MessageKey[];
  children: ReactNode;
}) {
  const { t } = useI18n();
  const { list } = props;
  return (
    <section className="rounded border border-slate-200 bg-white p-4">
      <h2 className="mb-2 font-semibold">{t(props.heading)}</h2>
      {list.error ? (
        <ErrorPanel error={list.error} onRetry={() => void list.refetch()} />
      ) : list.items.length === 0 ? (
        <p className="text-slate-600" data-testid={props.noneTestId}>
          {t(list.isPending ? 'common.loading' : props.none)}
        </p>
      ) : (
        <table className="w-full text-left text-sm" data-testid={props.testId}>
          <ColumnHeads keys={props.columns} />
          <tbody>{props.children}</tbody>
        </table>
      )}
    </section>
  );
}

/** A cell with an object's name. */
export function NameCell({ name }: { name: string }) {
  return (
    <td className="py-1 pr-3">
      <Data className="font-mono">{name}</Data>
    </td>
  );
}

/** A cell with where an operation is, KubeVirt's detail below it, then anything more. */
export function StepCell({ step, detail, children }: { step: MessageKey; detail?: string; children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <td className="py-1 pr-3">
      {t(step)}
      {detail ? (
        <span className="block text-xs text-slate-600">
          <Data>{detail}</Data>
        </span>
      ) : null}
      {children}
    </td>
  );
}

/** A cell with a time, in the reader's locale. */
export function TimeCell({ at }: { at?: string }) {
  const { locale } = useI18n();
  return <td className="py-1 pr-3 whitespace-nowrap">{formatTimestamp(at, locale)}</td>;
}
