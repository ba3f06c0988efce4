import { describe, expect, it } from 'vitest';
import { catalogues, pickLocale, translator } from './locales';
import { formatAge } from './format';

describe('i18n', () => {
  it('has the same keys in every language, and nothing left empty', () => {
    const en = Object.keys(catalogues.en).sort();
    expect(Object.keys(catalogues['zh-CN']).sort()).toEqual(en);
    for (const v of Object.values(catalogues['zh-CN'])) expect(v.trim()).not.toBe('');
  });
  it('keeps the same placeholders in translations', () => {
    const vars = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const [k, v] of Object.entries(catalogues.en)) expect(vars(catalogues['zh-CN'][k as keyof typeof catalogues.en]), k).toEqual(vars(v));
  });
  it('fills placeholders', () => {
    expect(translator(catalogues.en)('list.count', { shown: 3, total: 10 })).toBe('3 of 10 VMs');
    expect(translator(catalogues['zh-CN'])('action.start.done', { name: 'vm1' })).toBe('已请求启动 vm1');
  });
  it('picks the cookie first, then Accept-Language, then English', () => {
    expect(pickLocale('zh-CN', 'en-US')).toBe('zh-CN');
    expect(pickLocale(undefined, 'zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(pickLocale(undefined, 'fr-FR,en;q=0.5')).toBe('en');
    expect(pickLocale('xx', null)).toBe('en');
  });
  it('formats ages in the current language', () => {
    const now = Date.UTC(2026, 0, 2);
    expect(formatAge(now - 90_000, now, translator(catalogues.en))).toBe('90s');
    expect(formatAge(now - 3 * 3600_000, now, translator(catalogues['zh-CN']))).toBe('3小时');
    expect(formatAge(now - 3 * 86400_000, now, translator(catalogues.en))).toBe('3d');
  });
});
