'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import dynamic from 'next/dynamic';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useDeferredValue, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useT } from '../../i18n/I18nProvider';
import { describeError } from '../../vms/describe-error';
import { ErrorPanel } from '../../vms/ErrorPanel';
import { downloadFileName, serverProblems, takeDraft, templateName, vmTemplate, type ServerProblems } from './create-yaml';
import type { YamlEditorHandle } from './YamlEditor';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import { parseManifests, type YamlProblem } from '@/lib/kubevirt/yaml-manifests';
import { apiFetch, ApiError } from '@/lib/live/api-client';
import { apiPaths } from '@/lib/shared/api-paths';
import type { CreateRequest } from '@/lib/kubevirt/create/request';
import type { CreateOptions, CreateResponse } from '@/lib/shared/create-api';

// CodeMirror is loaded here only, and only in the browser (it measures the DOM).
const YamlEditor = dynamic(() => import('./YamlEditor').then((m) => m.YamlEditor), {
  ssr: false,
  loading: () => <EditorLoading />,
});

function EditorLoading() {
  const t = useT();
  return <p className="flex h-64 items-center justify-center rounded border border-slate-300 bg-slate-50 text-slate-600">{t('yaml.editor.loading')}</p>;
}

// `text` is what was checked or sent. A refusal, a dry run's acceptance and the server's lines are about that text
// only, so they are shown while the editor still holds it; an error's message stays until the next attempt.
type Outcome = { text: string } & (
  | { kind: 'refused' }
  | { kind: 'dryRun'; response: CreateResponse }
  | { kind: 'created'; name: string }
  | { kind: 'error'; error: unknown; problems: ServerProblems }
);

export function CreateFromYaml() {
  const t = useT();
  const router = useRouter();
  const ids = useId();
  const hintId = `${ids}-hint`;
  const editor = useRef<YamlEditorHandle | null>(null);

  const options = useQuery({
    queryKey: ['create-options'],
    queryFn: () => apiFetch<CreateOptions>(apiPaths.createOptions()),
    staleTime: 60_000,
  });

  // Filled on mount from the wizard's hand-over, or from the template once the namespaces are known.
  const [start, setStart] = useState<'pending' | 'draft' | 'template'>('pending');
  const [namespace, setNamespace] = useState<string>();
  const [text, setText] = useState('');
  // The template as last written, so a namespace switch can rewrite it while the user has not touched it.
  const [template, setTemplate] = useState<{ text: string; name: string }>();
  const [outcome, setOutcome] = useState<Outcome>();

  useEffect(() => {
    const draft = takeDraft(window.sessionStorage);
    if (draft) {
      setNamespace(draft.namespace);
      setText(draft.yaml);
    }
    setStart(draft ? 'draft' : 'template');
  }, []);

  useEffect(() => {
    if (start !== 'template' || namespace !== undefined || !options.data) return;
    const { namespaces } = options.data;
    const ns = namespaces.includes(options.data.namespace) ? options.data.namespace : namespaces[0];
    if (!ns) return;
    const name = templateName();
    const initial = vmTemplate(ns, name);
    setNamespace(ns);
    setText(initial);
    setTemplate({ text: initial, name });
  }, [start, namespace, options.data]);

  const deferredText = useDeferredValue(text);
  const local = useMemo(() => parseManifests(deferredText, { namespace }), [deferredText, namespace]);
  const server = outcome?.kind === 'error' && outcome.text === text ? outcome.problems : undefined;
  const problems: (YamlProblem & { fromCluster?: boolean })[] = useMemo(
    () => [...local.problems, ...(server?.placed ?? []).map((p) => ({ ...p, fromCluster: true }))].sort((a, b) => a.line - b.line),
    [local.problems, server],
  );

  const create = useMutation({
    mutationFn: (body: CreateRequest) => apiFetch<CreateResponse>(apiPaths.createVm, { method: 'POST', body }),
  });

  function submit(dryRun: boolean) {
    if (!namespace) return;
    // Checked again now, not from the deferred result: what is sent must be what was checked.
    const parsed = parseManifests(text, { namespace });
    if (parsed.problems.some((p) => p.severity === 'error')) {
      setOutcome({ kind: 'refused', text });
      return;
    }
    const sent = text;
    setOutcome(undefined);
    create.mutate(
      { source: 'yaml', namespace, manifests: parsed.objects, dryRun },
      {
        onSuccess: (response) => {
          if (response.dryRun) {
            setOutcome({ kind: 'dryRun', response, text: sent });
            return;
          }
          setOutcome({ kind: 'created', name: response.vm.name, text: sent });
          router.push(`/vms/${encodeURIComponent(response.vm.namespace)}/${encodeURIComponent(response.vm.name)}`);
        },
        onError: (error) => {
          setOutcome({ kind: 'error', error, text: sent, problems: serverProblems(sent, error instanceof ApiError ? error.body.details : undefined) });
        },
      },
    );
  }

  function changeNamespace(ns: string) {
    setNamespace(ns);
    setOutcome(undefined);
    if (template && text === template.text) {
      const next = vmTemplate(ns, template.name);
      setText(next);
      setTemplate({ ...template, text: next });
    }
  }

  function download() {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = downloadFileName(local.objects);
    a.click();
    URL.revokeObjectURL(url);
  }

  const namespaces = useMemo(() => {
    const list = options.data?.namespaces ?? [];
    return namespace && !list.includes(namespace) ? [namespace, ...list] : list;
  }, [options.data, namespace]);

  const header = (
    <div className="flex flex-col gap-1">
      <div className="flex items-baseline gap-3">
        <h1 className="text-xl font-semibold">{t('yaml.title')}</h1>
        <Link href="/vms" className="ml-auto text-sm text-sky-700 hover:underline">
          {t('common.back')}
        </Link>
      </div>
      <p className="max-w-3xl text-sm text-slate-600">{t('yaml.intro')}</p>
    </div>
  );

  if (start === 'pending' || (start === 'template' && namespace === undefined)) {
    let body = <p className="text-slate-600">{t('common.loading')}</p>;
    if (options.error) body = <ErrorPanel error={options.error} onRetry={() => void options.refetch()} />;
    else if (options.data && options.data.namespaces.length === 0) {
      body = (
        <p className="text-slate-700" data-testid="yaml-no-namespaces">
          {t('yaml.noNamespaces')}
        </p>
      );
    }
    return (
      <div className="flex flex-col gap-4 p-4">
        {header}
        {body}
      </div>
    );
  }

  const pending = create.isPending || outcome?.kind === 'created';
  const dryRunPending = create.isPending && create.variables?.dryRun === true;
  const createPending = pending && !dryRunPending;
  const errorCount = problems.filter((p) => p.severity === 'error').length;
  const fileName = downloadFileName(local.objects);

  return (
    <div className="flex flex-col gap-4 p-4">
      {header}
      {start === 'draft' ? (
        <p role="note" className="rounded border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900">
          {t('yaml.fromWizard')}
        </p>
      ) : null}

      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">{t('yaml.namespace')}</span>
          <select
            data-testid="yaml-namespace"
            translate="no"
            className="rounded border border-slate-300 bg-white px-2 py-1.5"
            value={namespace}
            disabled={pending}
            onChange={(e) => changeNamespace(e.target.value)}
          >
            {namespaces.map((ns) => (
              <option key={ns} value={ns}>
                {ns}
              </option>
            ))}
          </select>
        </label>
        {options.error ? <p className="text-sm text-amber-800">{describeError(options.error, t).summary}</p> : null}
      </div>

      <div className="flex flex-col gap-1">
        <YamlEditor
          value={text}
          onChange={setText}
          namespace={namespace}
          problems={server?.placed}
          label={t('yaml.editor.label')}
          ariaDescribedBy={hintId}
          handle={editor}
        />
        <p id={hintId} className="text-xs text-slate-600">
          {t('yaml.editor.hint')}
        </p>
      </div>

      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          data-testid="yaml-validate"
          className="rounded border border-slate-300 bg-white px-3 py-1.5 font-medium disabled:opacity-40"
          disabled={pending}
          onClick={() => submit(true)}
        >
          {dryRunPending ? t('yaml.validating') : t('yaml.validate')}
        </button>
        <button
          type="button"
          data-testid="yaml-create"
          className="rounded bg-sky-700 px-3 py-1.5 font-medium text-white disabled:opacity-40"
          disabled={pending}
          onClick={() => submit(false)}
        >
          {createPending ? t('yaml.creating') : t('yaml.create')}
        </button>
        <button
          type="button"
          data-testid="yaml-download"
          className="ml-auto rounded border border-slate-300 bg-white px-3 py-1.5"
          title={t('yaml.downloadTitle', { file: fileName })}
          onClick={download}
        >
          {t('yaml.download')}
        </button>
      </div>

      <OutcomePanel outcome={outcome && (outcome.kind === 'refused' || outcome.kind === 'dryRun') && outcome.text !== text ? undefined : outcome} />

      <section aria-labelledby={`${ids}-problems`} className="flex flex-col gap-2">
        <h2 id={`${ids}-problems`} className="text-base font-semibold">
          {t('yaml.problems.title', { count: problems.length + (server?.unplaced.length ?? 0) })}
        </h2>
        {problems.length === 0 && !server?.unplaced.length ? (
          <p className="text-sm text-slate-600" data-testid="yaml-no-problems">
            {t('yaml.problems.none')}
          </p>
        ) : (
          <ul className="flex flex-col gap-1" data-testid="yaml-problems" data-errors={errorCount}>
            {problems.map((p, i) => (
              <li key={`${p.line}-${p.column ?? 0}-${i}`}>
                <button
                  type="button"
                  className="flex w-full items-start gap-2 rounded px-2 py-1 text-left text-sm hover:bg-slate-100"
                  title={t('yaml.problems.goTo', { line: p.line })}
                  onClick={() => editor.current?.goToLine(p.line, p.column)}
                >
                  <SeverityBadge severity={p.severity} />
                  <span>{interpolate(t('yaml.problems.at'), { line: String(p.line), message: <Data>{p.message}</Data> })}</span>
                  {p.fromCluster ? <span className="ml-auto shrink-0 text-xs text-slate-500">{t('yaml.problems.fromCluster')}</span> : null}
                </button>
              </li>
            ))}
            {server?.unplaced.map((p, i) => (
              <li key={`unplaced-${i}`} className="flex items-start gap-2 px-2 py-1 text-sm">
                <SeverityBadge severity="error" />
                <Data>{p.field ? `${p.field}: ${p.message}` : p.message}</Data>
                <span className="ml-auto shrink-0 text-xs text-slate-500">{t('yaml.problems.fromCluster')}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function SeverityBadge({ severity }: { severity: YamlProblem['severity'] }) {
  const t = useT();
  return severity === 'error' ? (
    <span className="shrink-0 rounded bg-red-100 px-1.5 text-xs font-medium text-red-900">{t('yaml.problems.error')}</span>
  ) : (
    <span className="shrink-0 rounded bg-amber-100 px-1.5 text-xs font-medium text-amber-900">{t('yaml.problems.warning')}</span>
  );
}

function OutcomePanel({ outcome }: { outcome: Outcome | undefined }) {
  const t = useT();
  if (!outcome) return null;
  switch (outcome.kind) {
    case 'refused':
      return (
        <p role="alert" data-testid="yaml-refused" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-red-900">
          {t('yaml.refused')}
        </p>
      );
    case 'dryRun':
      return (
        <div role="status" data-testid="yaml-dry-run-ok" className="rounded border border-green-200 bg-green-50 px-3 py-2 text-green-900">
          <p>{t('yaml.dryRunOk')}</p>
          <ul className="mt-1 list-inside list-disc text-sm">
            {outcome.response.objects.map((o) => (
              <li key={`${o.kind}/${o.namespace}/${o.name}`}>
                <Data>{`${o.kind} ${o.namespace}/${o.name}`}</Data>
              </li>
            ))}
          </ul>
        </div>
      );
    case 'created':
      return (
        <p role="status" data-testid="yaml-created" className="rounded border border-green-200 bg-green-50 px-3 py-2 text-green-900">
          {interpolate(t('yaml.created'), { name: <Data>{outcome.name}</Data> })}
        </p>
      );
    case 'error': {
      const { summary, reason } = describeError(outcome.error, t);
      return (
        <div role="alert" data-testid="yaml-error" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-red-900">
          <p className="font-semibold">{t('yaml.rejected')}</p>
          <p>{summary}</p>
          {reason ? <p className="mt-1 text-sm">{interpolate(t('error.apiSaid'), { reason: <Data>{reason}</Data> })}</p> : null}
        </div>
      );
    }
  }
}
