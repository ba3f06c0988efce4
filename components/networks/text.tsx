'use client';
import type { ReactNode } from 'react';
import { describeError } from '../vms/describe-error';
import { ProblemMessage } from '../create/wizard/fields';
import { ApiError } from '@/lib/live/api-client';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import type { Translate } from '@/lib/i18n/locales';
import type { AccessAnswer, AccessAttributes } from '@/lib/kubevirt/actions';
import type { AttachProblem, DetachRefusal } from '@/lib/kubevirt/interfaces';

// The Network interfaces tab's sentences that carry data: why an operation is not offered, what a refused change
// was told. Kubernetes' names and the API server's words stay untranslated (<Data>).

/** Why the user may not run an operation, or undefined when they may: as text (a title) and for display. */
export function accessReason(answer: AccessAnswer, a: AccessAttributes, t: Translate): { text: string; node: ReactNode } | undefined {
  if (answer === true) return undefined;
  if (answer === undefined) return { text: t('reason.checking'), node: t('reason.checking') };
  if (answer === false) {
    return {
      text: t('reason.forbidden', { verb: a.verb, resource: a.resource }),
      node: interpolate(t('reason.forbidden'), { verb: <Data>{a.verb}</Data>, resource: <Data>{a.resource}</Data> }),
    };
  }
  const { summary, reason } = describeError(answer.failed, t);
  return {
    text: t('reason.accessFailed', { reason: reason ?? summary }),
    node: reason ? interpolate(t('reason.accessFailed'), { reason: <Data>{reason}</Data> }) : t('reason.accessFailed', { reason: summary }),
  };
}

/** A refused detach's reason, the interface's name (and binding) as data. */
export function refusalNode(r: Pick<DetachRefusal, 'key' | 'vars'>, t: Translate): ReactNode {
  return interpolate(t(r.key), Object.fromEntries(Object.entries(r.vars ?? {}).map(([k, v]) => [k, <Data key={k}>{v}</Data>])));
}

export function ProblemList({ problems, testId }: { problems: readonly AttachProblem[]; testId?: string }) {
  return (
    <ul className="list-disc pl-5" data-testid={testId}>
      {problems.map((p, i) => (
        <li key={i} data-field={p.field}>
          <ProblemMessage message={p.message} params={p.params} />
        </li>
      ))}
    </ul>
  );
}

const isProblems = (v: unknown): v is AttachProblem[] => Array.isArray(v) && v.every((p) => p && typeof (p as AttachProblem).message === 'string');
const isRefusal = (v: unknown): v is DetachRefusal => Boolean(v && typeof (v as DetachRefusal).key === 'string' && (v as DetachRefusal).key.startsWith('nic.reason.'));

/** A failed attach or detach: what the portal's route refused (in the user's language), else the API server's answer. */
export function ChangeError({ error, title, t, testId }: { error: unknown; title: string; t: Translate; testId: string }) {
  const details = error instanceof ApiError ? (error.body.details ?? {}) : {};
  const causes = Array.isArray(details.causes) ? (details.causes as { message?: string; field?: string }[]).filter((c) => c.message) : [];
  let body: ReactNode;
  if (isProblems(details.problems)) body = <ProblemList problems={details.problems} />;
  else if (isRefusal(details.refusal)) body = <p>{refusalNode(details.refusal, t)}</p>;
  else {
    const { summary, reason } = describeError(error, t);
    body = (
      <>
        <p>{summary}</p>
        {reason ? <p className="mt-1">{interpolate(t('error.apiSaid'), { reason: <Data>{reason}</Data> })}</p> : null}
        {causes.length ? (
          <ul className="mt-1 list-disc pl-5">
            {causes.map((c, i) => (
              <li key={i}>
                <Data>{c.field ? `${c.field}: ${c.message}` : c.message}</Data>
              </li>
            ))}
          </ul>
        ) : null}
      </>
    );
  }
  return (
    <div role="alert" className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-900" data-testid={testId}>
      <p className="font-medium">{title}</p>
      {body}
    </div>
  );
}
