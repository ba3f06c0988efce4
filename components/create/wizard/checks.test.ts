import { describe, expect, it } from 'vitest';
import { nameTaken, problemsOf, stepProblems } from './checks';
import { initialForm } from './form-values';
import type { CreateOptions } from '@/lib/shared/create-api';

const options: CreateOptions = {
  namespace: 'team-a',
  namespaces: ['team-a', 'team-b'],
  dataSources: [],
  instancetypes: [],
  preferences: [],
  storageClasses: [],
  networks: [],
  pvcs: [],
  quotas: [],
  vmNames: ['web1'],
  unavailable: [],
};
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO1HlnYR7PoXrTSYiprkbTudN7p44Q27iISQwq5QNi7m alice@laptop';

describe('step checks', () => {
  it('refuse a name taken in the namespace the options describe, and a namespace not offered', () => {
    const f = { ...initialForm('team-a'), name: 'web1' };
    expect(stepProblems('basics', f, options)).toEqual([{ field: 'name', message: 'name.taken' }]);
    expect(stepProblems('basics', { ...f, name: 'web2' }, options)).toEqual([]);
    expect(stepProblems('basics', f, { ...options, namespace: 'team-b' })).toEqual([]);
    expect(stepProblems('basics', f, undefined)).toEqual([]);
    expect(stepProblems('basics', { ...f, namespace: 'team-c' }, { ...options, namespace: 'team-c' })).toEqual([
      { field: 'namespace', message: 'namespace.notAllowed' },
      { field: 'name', message: 'name.taken' },
    ]);
    expect(nameTaken('web1', 'team-a', options)).toBe(true);
    expect(nameTaken('web1', 'team-b', options)).toBe(false);
    expect(nameTaken('', 'team-a', options)).toBe(false);
  });
  it('name each SSH key that is not one by its index', () => {
    const f = { ...initialForm('team-a'), cloudInit: { sshKeys: [KEY, 'not-a-key'] } };
    const problems = stepProblems('cloudInit', f, options);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.field).toBe('cloudInit.sshKeys.1');
    expect(stepProblems('cloudInit', { ...f, cloudInit: { sshKeys: [KEY] } }, options)).toEqual([]);
    expect(stepProblems('size', f, options)).toEqual([]);
  });
  it("read a refused create's problems, dropping what is not one", () => {
    expect(problemsOf(undefined)).toEqual([]);
    expect(problemsOf({ problems: 'x' })).toEqual([]);
    expect(
      problemsOf({
        problems: [
          { field: 'networks.1.binding', message: 'networks.sriovOnPod' },
          { message: 'quota exceeded', line: 3, params: { quota: 'q', bad: {} } },
          { field: '', message: 'm' },
          { field: 'x' },
          null,
        ],
      }),
    ).toEqual([{ field: 'networks.1.binding', message: 'networks.sriovOnPod' }, { message: 'quota exceeded', line: 3, params: { quota: 'q' } }, { message: 'm' }]);
  });
});
