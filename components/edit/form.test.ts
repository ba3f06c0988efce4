import { describe, expect, it } from 'vitest';
import { editFormSchema, formOf, valuesOf, type EditForm } from './form';
import type { EditValues } from '@/lib/kubevirt/edits';

const base: EditValues = { labels: { team: 'a' }, annotations: { note: 'hi' }, size: { kind: 'custom', cpu: 1, memory: '128Mi' }, runStrategy: 'Always' };
const schema = editFormSchema(base, {});
const issues = (f: EditForm, s = schema) => {
  const r = s.safeParse(f);
  return r.success ? [] : r.error.issues.map((i) => [i.path.join('.'), i.message]);
};

describe('the Settings form', () => {
  it('rows round-trip, and a row left empty is no entry', () => {
    const f = formOf(base);
    expect(f.labels).toEqual([{ key: 'team', value: 'a' }]);
    f.labels.push({ key: '', value: '' });
    expect(valuesOf(f)).toEqual(base);
    expect(issues(f)).toEqual([]);
  });

  it('names each bad row: key rules, KubeVirt\'s keys, duplicates, label values; annotation values are free', () => {
    const f = formOf(base);
    f.labels = [
      { key: 'team', value: 'a' },
      { key: 'team', value: 'b' },
      { key: 'bad key', value: 'x' },
      { key: 'kubevirt.io/os', value: 'linux' },
      { key: '', value: 'orphan' },
      { key: 'ok', value: 'not ok' },
    ];
    f.annotations = [{ key: 'example.com/Notes', value: 'anything at all\non two lines' }];
    expect(issues(f)).toEqual([
      ['labels.1.key', 'edit.error.key.duplicate'],
      ['labels.2.key', 'edit.error.key.name'],
      ['labels.3.key', 'edit.error.key.managed'],
      ['labels.4.key', 'edit.error.key.required'],
      ['labels.5.value', 'edit.error.value.label'],
    ]);
  });

  it('counts KubeVirt\'s own annotations towards the 256 KiB', () => {
    const f = formOf(base);
    f.annotations = [{ key: 'big', value: 'x'.repeat(200 * 1024) }];
    expect(issues(f)).toEqual([]);
    expect(issues(f, editFormSchema(base, { 'kubevirt.io/x': 'y'.repeat(60 * 1024) }))).toEqual([['annotations', 'edit.error.annotations.tooLarge']]);
  });

  it('checks the size only once it changes, then against the wizard\'s bounds', () => {
    const huge: EditValues = { ...base, size: { kind: 'custom', cpu: 128, memory: '2Ti' } };
    expect(issues(formOf(huge), editFormSchema(huge, {}))).toEqual([]);
    const f = formOf(base);
    f.size = { kind: 'custom', cpu: Number.NaN, memory: '16Mi' };
    expect(issues(f)).toEqual([
      ['size.cpu', 'edit.error.cpu.range'],
      ['size.memory', 'create.error.memory.tooSmall|{"min":"64Mi"}'],
    ]);
    f.size = { kind: 'custom', cpu: 2, memory: '2 GB' };
    expect(issues(f)).toEqual([['size.memory', 'create.error.size.invalid']]);
    const it: EditValues = { ...base, size: { kind: 'instancetype', name: 'u1.nano' } };
    expect(issues({ ...formOf(it), size: { kind: 'instancetype', name: '' } }, editFormSchema(it, {}))).toEqual([['size.name', 'edit.error.instancetype.required']]);
  });
});
