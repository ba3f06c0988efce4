'use client';
import type { ReactNode } from 'react';
import { describeError } from '../vms/describe-error';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import type { AccessAnswer, AccessAttributes } from '@/lib/kubevirt/actions';
import type { MessageKey, Translate } from '@/lib/i18n/locales';

// Why an operation is not offered: the access review's answer, or a rule of the VM's or snapshot's state, as a
// sentence (for a title) and as a node (with Kubernetes' names as data).
export interface Block {
  text: string;
  node: ReactNode;
}

const resourceOf = (a: AccessAttributes) => (a.subresource ? `${a.resource}/${a.subresource}` : a.resource);

export function accessBlock(answer: AccessAnswer, attrs: AccessAttributes, t: Translate): Block | undefined {
  if (answer === true) return undefined;
  if (answer === false) {
    const resource = resourceOf(attrs);
    return { text: t('reason.forbidden', { verb: attrs.verb, resource }), node: interpolate(t('reason.forbidden'), { verb: <Data>{attrs.verb}</Data>, resource: <Data>{resource}</Data> }) };
  }
  if (answer === undefined) return { text: t('reason.checking'), node: t('reason.checking') };
  const { summary, reason } = describeError(answer.failed, t);
  return { text: t('reason.accessFailed', { reason: reason ?? summary }), node: reason ? interpolate(t('reason.accessFailed'), { reason: <Data>{reason}</Data> }) : t('reason.accessFailed', { reason: summary }) };
}

export function ruleBlock(key: MessageKey, t: Translate, vars?: Record<string, string>): Block {
  const text = t(key, vars);
  return { text, node: vars ? interpolate(t(key), Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, <Data key={k}>{v}</Data>]))) : text };
}

export const firstBlock = (...blocks: (Block | undefined)[]) => blocks.find((b) => b !== undefined);

// A button that stays focusable while blocked, so a keyboard user can reach it and hear why (aria-describedby).
export function OpButton({
  block,
  onClick,
  testId,
  children,
  tone = 'secondary',
  id,
}: {
  block?: Block;
  onClick: () => void;
  testId: string;
  children: ReactNode;
  tone?: 'primary' | 'secondary' | 'danger';
  id: string;
}) {
  const cls =
    tone === 'primary'
      ? 'bg-sky-700 font-medium text-white hover:bg-sky-800'
      : tone === 'danger'
        ? 'border border-red-300 text-red-800 hover:bg-red-50'
        : 'border border-slate-300 hover:bg-slate-100';
  return (
    <>
      <button
        type="button"
        data-testid={testId}
        aria-disabled={block ? true : undefined}
        aria-describedby={block ? `${id}-why` : undefined}
        title={block?.text}
        className={`rounded px-3 py-1 text-sm ${cls} ${block ? 'cursor-not-allowed opacity-50' : ''}`}
        onClick={() => {
          if (!block) onClick();
        }}
      >
        {children}
      </button>
      {block ? (
        <span id={`${id}-why`} className="sr-only" data-testid={`${testId}-reason`}>
          {block.node}
        </span>
      ) : null}
    </>
  );
}
