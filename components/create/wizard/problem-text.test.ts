import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeMessage, encodeMessage, isMessageKey, problemText, zodIssueMessage } from './problem-text';
import { translator, type Messages } from '@/lib/i18n/locales';

const t = translator({
  'create.error.generic': 'This value is not accepted.',
  'create.error.name.dns1123': 'Use lowercase letters.',
  'create.error.namespace.invalid': 'Not a namespace.',
  'create.error.zod.too_big.string': 'At most {maximum} characters.',
} as unknown as Messages);

describe('problem messages', () => {
  it('carry parameters through a message string and back', () => {
    expect(encodeMessage('zod.too_big.string', { maximum: 63 })).toBe('zod.too_big.string|{"maximum":63}');
    expect(encodeMessage('name.taken')).toBe('name.taken');
    expect(encodeMessage('name.taken', {})).toBe('name.taken');
    expect(decodeMessage('zod.too_big.string|{"maximum":63}')).toEqual({ message: 'zod.too_big.string', params: { maximum: 63 } });
    expect(decodeMessage('a | b')).toEqual({ message: 'a | b' });
    expect(decodeMessage('k|{"a":{"nested":1},"b":"x"}')).toEqual({ message: 'k', params: { b: 'x' } });
  });
  it('translate keys, fall back to a generic sentence for unknown ones, and keep sentences as data', () => {
    expect(problemText(t, 'name.dns1123')).toEqual({ kind: 'text', text: 'Use lowercase letters.' });
    expect(problemText(t, 'zod.too_big.string|{"maximum":63}')).toEqual({ kind: 'text', text: 'At most 63 characters.' });
    expect(problemText(t, 'zod.too_big.string', { maximum: 8 })).toEqual({ kind: 'text', text: 'At most 8 characters.' });
    expect(problemText(t, 'networks.somethingNew')).toEqual({ kind: 'text', text: 'This value is not accepted.' });
    expect(problemText(t, undefined)).toEqual({ kind: 'text', text: 'This value is not accepted.' });
    expect(problemText(t, 'not a valid namespace name')).toEqual({ kind: 'text', text: 'Not a namespace.' });
    expect(problemText(t, 'admission webhook "x" denied the request: no')).toEqual({ kind: 'data', text: 'admission webhook "x" denied the request: no' });
    expect(isMessageKey('name.taken')).toBe(true);
    expect(isMessageKey('not a valid object name')).toBe(true);
    expect(isMessageKey('The name is taken.')).toBe(false);
  });
  it("turn zod's own issues into keys with their limits, leaving the model's messages alone", () => {
    const schema = z.object({
      s: z.string().max(3),
      n: z.number().int().min(1).max(64),
      a: z.array(z.string()).max(1),
      e: z.enum(['x', 'y']),
      r: z.string(),
      own: z.string().regex(/^a$/, 'own.key'),
      m: z.string().min(1),
    });
    const r = schema.safeParse({ s: 'abcd', n: 65, a: ['1', '2'], e: 'z', own: 'b', m: '' }, { error: zodIssueMessage });
    expect(r.success).toBe(false);
    const byPath = Object.fromEntries(r.error!.issues.map((i) => [i.path.join('.'), i.message]));
    expect(byPath).toEqual({
      s: 'zod.too_big.string|{"maximum":3}',
      n: 'zod.too_big.number|{"maximum":64}',
      a: 'zod.too_big.array|{"maximum":1}',
      e: 'zod.invalid_value',
      r: 'zod.required',
      own: 'own.key',
      m: 'zod.required',
    });
    const nan = z.object({ n: z.number() }).safeParse({ n: Number.NaN }, { error: zodIssueMessage });
    expect(nan.error!.issues[0]!.message).toBe('zod.number');
  });
});
