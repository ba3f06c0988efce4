import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { en } from '@/messages/en';
import { zhCN } from '@/messages/zh-CN';
import { isMessageKey } from './problem-text';

// Every message key the form model can give has its sentence in both languages, so the wizard never falls back to
// the generic one for a rule of its own model.
describe('the create catalogue', () => {
  const formSource = readFileSync(new URL('../../../lib/kubevirt/create/form.ts', import.meta.url), 'utf8');
  const formKeys = [...formSource.matchAll(/(?:\(|,\s*)'([a-z][A-Za-z0-9]*\.[A-Za-z0-9.]+)'\)/g)].map((m) => m[1]!);
  const zodKeys = ['required', 'number', 'invalid_type', 'too_small.string', 'too_small.number', 'too_small.array', 'too_big.string', 'too_big.number', 'too_big.array', 'invalid_format', 'invalid_value', 'invalid_union', 'not_multiple_of', 'invalid'].map((k) => `zod.${k}`);
  const ruleKeys = ['networks.podTwice', 'size.smallerThanSource', 'name.taken', 'namespace.invalid', 'object.invalid'];

  it('has a sentence for every key of the form model, its zod issues and the named rules', () => {
    expect(formKeys.length).toBeGreaterThanOrEqual(9);
    for (const k of [...formKeys, ...zodKeys, ...ruleKeys]) {
      expect(isMessageKey(k), k).toBe(true);
      expect(en, k).toHaveProperty([`create.error.${k}`]);
      expect(zhCN, k).toHaveProperty([`create.error.${k}`]);
    }
  });
});
