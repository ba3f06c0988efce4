import type { MessageKey, Translate } from '@/lib/i18n/locales';

// Problems arrive as message keys (the form model's 'name.dns1123', a rule's 'networks.podTwice', this module's
// 'zod.too_big.string') or as sentences (the API server's own words from a dry run). A key is shown through the
// catalogue's create.error.<key>, and a key the catalogue does not know falls back to a generic sentence, never to
// the raw key; a sentence is shown as it is, as data (it is the cluster's, in English).

export type MessageParams = Record<string, string | number>;

// react-hook-form keeps only a message string per field, so parameters ride along after a separator.
const SEP = '|';

export function encodeMessage(key: string, params?: MessageParams): string {
  return params && Object.keys(params).length ? `${key}${SEP}${JSON.stringify(params)}` : key;
}

export function decodeMessage(message: string): { message: string; params?: MessageParams } {
  const i = message.indexOf(SEP);
  if (i < 0) return { message };
  try {
    const params: unknown = JSON.parse(message.slice(i + 1));
    if (params && typeof params === 'object' && !Array.isArray(params)) {
      const ok = Object.entries(params).filter(([, v]) => typeof v === 'string' || typeof v === 'number');
      return { message: message.slice(0, i), params: Object.fromEntries(ok) as MessageParams };
    }
  } catch {
    // not ours: a sentence with a bar in it
  }
  return { message };
}

const KEY = /^[a-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$/;

// lib/shared/names.ts words its messages as sentences; they are the form model's too (namespace, data source).
const ALIASES: Record<string, string> = {
  'not a valid namespace name': 'namespace.invalid',
  'not a valid object name': 'object.invalid',
};

export type ProblemText = { kind: 'text'; text: string } | { kind: 'data'; text: string };

export function isMessageKey(message: string): boolean {
  return KEY.test(ALIASES[message] ?? message);
}

export function problemText(t: Translate, raw: string | undefined, params?: MessageParams): ProblemText {
  const generic: ProblemText = { kind: 'text', text: t('create.error.generic') };
  if (!raw) return generic;
  const decoded = decodeMessage(raw);
  const key = ALIASES[decoded.message] ?? decoded.message;
  if (!KEY.test(key)) return { kind: 'data', text: decoded.message };
  const full = `create.error.${key}`;
  const text = t(full as MessageKey, { ...decoded.params, ...params });
  // The translator answers a key it does not know with the key itself.
  return text === full ? generic : { kind: 'text', text };
}

/** The same as plain text, for attributes and the clipboard. */
export const problemString = (t: Translate, raw: string | undefined, params?: MessageParams): string => problemText(t, raw, params).text;

// zod's own issues (those the form model gives no message of its own) as keys with their limits, for the resolver:
// zodResolver(schema, { error: zodIssueMessage }).
interface IssueLike {
  code?: string;
  origin?: string;
  expected?: string;
  minimum?: unknown;
  maximum?: unknown;
  input?: unknown;
}

const limit = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined);

export function zodIssueMessage(iss: IssueLike): string {
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined || iss.input === null || iss.input === '') return 'zod.required';
      return iss.expected === 'number' ? 'zod.number' : 'zod.invalid_type';
    case 'too_small': {
      const minimum = limit(iss.minimum);
      if (iss.origin === 'string' && minimum === 1) return 'zod.required';
      if ((iss.origin === 'string' || iss.origin === 'number' || iss.origin === 'array') && minimum !== undefined) return encodeMessage(`zod.too_small.${iss.origin}`, { minimum });
      return 'zod.invalid';
    }
    case 'too_big': {
      const maximum = limit(iss.maximum);
      if ((iss.origin === 'string' || iss.origin === 'number' || iss.origin === 'array') && maximum !== undefined) return encodeMessage(`zod.too_big.${iss.origin}`, { maximum });
      return 'zod.invalid';
    }
    case 'invalid_format':
    case 'invalid_value':
    case 'invalid_union':
    case 'not_multiple_of':
      return `zod.${iss.code}`;
    default:
      return 'zod.invalid';
  }
}
