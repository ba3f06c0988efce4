'use client';
import type { ReactNode } from 'react';
import { describeError } from '../vms/describe-error';
import { Data, interpolate } from '@/lib/i18n/interpolate';
import type { MessageKey, Translate } from '@/lib/i18n/locales';
import type { GuestState, OperationState, ResizeState } from '@/lib/kubevirt/disks';
import { formatBytes, parseQuantity } from '@/lib/kubevirt/quantity';

// The Disks tab's sentences: what the guest has of a disk, where a claim's expansion is, and why an operation is
// not offered. Kubernetes' own words inside them (phases, names, sizes as written) are data.

/** A quantity in binary units ("2 GiB"), or as written when it is not one. */
export function sizeText(q: string | undefined): string {
  if (!q) return '';
  const n = parseQuantity(q);
  return n === undefined ? q : formatBytes(n);
}

const data = (v: string | undefined) => <Data>{v ?? ''}</Data>;

// Sizes as Kubernetes writes them are data in any language.
export const sizeExamples = { examples: <Data className="font-mono">1Gi, 500Mi, 2G</Data>, min: <Data className="font-mono">1Mi</Data> };

export function guestText(g: GuestState, t: Translate): ReactNode {
  switch (g.kind) {
    case 'attaching':
      return g.phase ? interpolate(t('disks.guest.attachingPhase'), { phase: data(g.phase) }) : t('disks.guest.attaching');
    case 'detaching':
      return g.phase ? interpolate(t('disks.guest.detachingPhase'), { phase: data(g.phase) }) : t('disks.guest.detaching');
    default:
      return t(`disks.guest.${g.kind}` as MessageKey);
  }
}

export function resizeText(r: ResizeState, t: Translate): ReactNode {
  if (r.kind === 'none') return null;
  if (r.kind === 'failed') return interpolate(t('disks.resize.failed'), { size: data(sizeText(r.to)) });
  return interpolate(t(`disks.resize.${r.step}` as MessageKey), { size: data(sizeText(r.to)) });
}

/** Why an operation is not offered; undefined when it is. */
export function reasonNode(s: OperationState, t: Translate): ReactNode {
  if (s.enabled) return undefined;
  const r = s.reason;
  switch (r.key) {
    case 'reason.forbidden':
      return interpolate(t('reason.forbidden'), { verb: data(r.verb), resource: data(r.resource) });
    case 'reason.checking':
      return t('reason.checking');
    case 'reason.accessFailed': {
      const { summary, reason } = describeError(r.error, t);
      return reason ? interpolate(t('reason.accessFailed'), { reason: data(reason) }) : t('reason.accessFailed', { reason: summary });
    }
    default:
      return r.vars ? interpolate(t(r.key), Object.fromEntries(Object.entries(r.vars).map(([k, v]) => [k, <Data key={k}>{v}</Data>]))) : t(r.key);
  }
}

/** The same reason as plain text, for a title attribute. */
export function reasonString(s: OperationState, t: Translate): string | undefined {
  if (s.enabled) return undefined;
  const r = s.reason;
  switch (r.key) {
    case 'reason.forbidden':
      return t('reason.forbidden', { verb: r.verb, resource: r.resource });
    case 'reason.checking':
      return t('reason.checking');
    case 'reason.accessFailed': {
      const { summary, reason } = describeError(r.error, t);
      return t('reason.accessFailed', { reason: reason ?? summary });
    }
    default:
      return t(r.key, r.vars);
  }
}

/** A refusal of the portal's routes in the user's language, with the API server's own words as data. */
export function ErrorText({ error, t }: { error: unknown; t: Translate }) {
  const { summary, reason } = describeError(error, t);
  return (
    <>
      {summary} {reason ? interpolate(t('error.apiSaid'), { reason: <Data>{reason}</Data> }) : null}
    </>
  );
}
