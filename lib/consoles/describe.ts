import type { CloseInfo } from './connection';
import type { MessageKey } from '../i18n/locales';
import { ConsoleClose } from '../shared/console-protocol';

// What the console's state line says about a close: a message of the portal's own (translated), plus the words the
// portal or the cluster sent with it (shown as data, untranslated). Pure.

export interface CloseDescription {
  key: MessageKey;
  vars?: Record<string, string>;
  detail?: string;
}

const KEYS: Record<number, MessageKey> = {
  [ConsoleClose.NORMAL]: 'console.reason.left',
  [ConsoleClose.GOING_AWAY]: 'console.reason.portalRestarting',
  [ConsoleClose.TOO_BIG]: 'console.reason.tooBig',
  [ConsoleClose.INTERNAL]: 'console.reason.unavailable',
  [ConsoleClose.UPSTREAM_CLOSED]: 'console.reason.upstreamClosed',
  [ConsoleClose.SESSION_ENDED]: 'console.reason.sessionEnded',
  [ConsoleClose.SESSION_EXPIRED]: 'console.reason.sessionExpired',
  [ConsoleClose.REPLACED]: 'console.reason.replaced',
  [ConsoleClose.TOO_MANY]: 'console.reason.tooMany',
  [ConsoleClose.UNRESPONSIVE]: 'console.reason.unresponsive',
  [ConsoleClose.REFUSED_BAD_REQUEST]: 'console.reason.notReady',
  [ConsoleClose.REFUSED_UNAUTHENTICATED]: 'console.reason.unauthenticated',
  [ConsoleClose.REFUSED_FORBIDDEN]: 'console.reason.forbidden',
  [ConsoleClose.REFUSED_NOT_FOUND]: 'console.reason.notFound',
  [ConsoleClose.REFUSED_CONFLICT]: 'console.reason.notReady',
  [ConsoleClose.REFUSED_TOO_MANY]: 'console.reason.unavailable',
  [ConsoleClose.UPSTREAM_UNAVAILABLE]: 'console.reason.unavailable',
};

export function describeClose(last: CloseInfo): CloseDescription {
  if (last.code === ConsoleClose.WRONG_ORIGIN) return { key: 'console.reason.wrongOrigin', vars: { origin: last.reason } };
  const key = KEYS[last.code] ?? 'console.reason.network';
  const detail = last.reason.trim();
  return detail ? { key, detail } : { key };
}
