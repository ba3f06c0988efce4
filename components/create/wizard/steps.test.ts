import { describe, expect, it } from 'vitest';
import { fieldId, firstStepOf, isFormPath, pathSegments, STEP_FIELDS, STEP_IDS, stepOfField, stepsToCheck } from './steps';
import { createVmForm } from '@/lib/kubevirt/create/form';

describe('wizard steps', () => {
  it('give every top-level field of the form model to exactly one step', () => {
    const owned = STEP_IDS.flatMap((s) => STEP_FIELDS[s]);
    expect(new Set(owned).size).toBe(owned.length);
    expect([...owned].sort()).toEqual(Object.keys(createVmForm.shape).sort());
  });
  it('find the step of a dotted path, in either spelling', () => {
    expect(stepOfField('name')).toBe('basics');
    expect(stepOfField('networks.1.binding')).toBe('networks');
    expect(stepOfField('networks[1].binding')).toBe('networks');
    expect(stepOfField('rootDisk.size')).toBe('storage');
    expect(stepOfField('extraDisks.0.name')).toBe('storage');
    expect(stepOfField('cloudInit.sshKeys.2')).toBe('cloudInit');
    expect(stepOfField('bootSource.url')).toBe('source');
    expect(stepOfField('labels.app')).toBe('review');
    expect(stepOfField('manifests.0')).toBeUndefined();
    expect(stepOfField('')).toBeUndefined();
    expect(stepOfField(undefined)).toBeUndefined();
    expect(isFormPath('size.cpu')).toBe(true);
    expect(isFormPath('spec.template')).toBe(false);
    expect(pathSegments('a[0].b..c')).toEqual(['a', '0', 'b', 'c']);
  });
  it('pick the earliest step holding a problem', () => {
    expect(firstStepOf(['networks.0.binding', 'rootDisk.size', undefined, 'manifests.1'])).toBe('storage');
    expect(firstStepOf(['runStrategy', 'name'])).toBe('basics');
    expect(firstStepOf([undefined, 'x'])).toBeUndefined();
  });
  it('check the steps between here and a later one, none going back', () => {
    expect(stepsToCheck('basics', 'size')).toEqual(['basics', 'source']);
    expect(stepsToCheck('run', 'review')).toEqual(['run']);
    expect(stepsToCheck('basics', 'review')).toEqual(['basics', 'source', 'size', 'storage', 'cloudInit', 'networks', 'run']);
    expect(stepsToCheck('networks', 'source')).toEqual([]);
    expect(stepsToCheck('size', 'size')).toEqual([]);
  });
  it('make DOM ids from paths', () => {
    expect(fieldId('networks.1.binding')).toBe('create-networks-1-binding');
    expect(fieldId('networks[1].binding')).toBe('create-networks-1-binding');
  });
});
