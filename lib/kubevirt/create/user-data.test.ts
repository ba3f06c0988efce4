import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkNetworkData, checkUserData, composeUserData } from './user-data';

const key1 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB9H/fPm4bOB06Z4T2s0agEbyUuPwwciMRlHa1lME60s one';
const key2 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB9H/fPm4bOB06Z4T2s0agEbyUuPwwciMRlHa1lME60x two';

// The composed user-data as cloud-init reads it: after its header, YAML 1.1.
const read = (text: string | undefined) => {
  expect(text?.startsWith('#cloud-config\n')).toBe(true);
  return parse(text!, { version: '1.1' }) as Record<string, unknown>;
};

describe('checkUserData', () => {
  it('takes a #cloud-config mapping, and a mapping without the header', () => {
    expect(checkUserData('#cloud-config\npackages:\n  - vim\n')).toEqual({ ok: true, value: { packages: ['vim'] } });
    expect(checkUserData('hostname: web\n')).toEqual({ ok: true, value: { hostname: 'web' } });
    expect(checkUserData('#cloud-config\n')).toEqual({ ok: true, value: {} });
  });

  it('places YAML errors on their 1-based line', () => {
    expect(checkUserData('#cloud-config\nruncmd:\n  - echo hi\n  foo: bar\n')).toEqual({ ok: false, problems: [{ message: 'userData.yaml', line: 4 }] });
    expect(checkUserData('#cloud-config\nhostname: a\nhostname: b\n')).toEqual({ ok: false, problems: [{ message: 'userData.yaml', line: 3 }] });
    expect(checkUserData('#cloud-config\n\n\tkey: v\n')).toEqual({ ok: false, problems: [{ message: 'userData.yaml', line: 3 }] });
  });

  it('wants a mapping, not a list or a scalar', () => {
    expect(checkUserData('#cloud-config\n- a\n- b\n')).toEqual({ ok: false, problems: [{ message: 'userData.notMapping', line: 2 }] });
    expect(checkUserData('just text')).toEqual({ ok: false, problems: [{ message: 'userData.notMapping', line: 1 }] });
  });

  it('wants users and ssh_authorized_keys as lists, since the wizard merges into them', () => {
    expect(checkUserData('#cloud-config\nhostname: a\nusers: default\n')).toEqual({ ok: false, problems: [{ message: 'userData.usersNotList', line: 3 }] });
    expect(checkUserData('ssh_authorized_keys: one\n')).toEqual({ ok: false, problems: [{ message: 'userData.keysNotList', line: 1 }] });
    expect(checkUserData('users: [default]\nssh_authorized_keys: [a]\n').ok).toBe(true);
  });

  it('takes a script as it is', () => {
    expect(checkUserData('#!/bin/sh\necho [unbalanced\n')).toEqual({ ok: true, value: {} });
    expect(checkUserData('#include\nhttps://example.com/config\n')).toEqual({ ok: true, value: {} });
  });
});

describe('checkNetworkData', () => {
  it('takes version 1 or 2, at the top or under network', () => {
    expect(checkNetworkData('version: 2\nethernets:\n  eth1:\n    dhcp4: true\n').ok).toBe(true);
    expect(checkNetworkData('network:\n  version: 1\n  config: []\n').ok).toBe(true);
  });

  it('refuses another version, a missing one, a list and bad YAML, with lines', () => {
    expect(checkNetworkData('network:\n  version: 3\n')).toEqual({ ok: false, problems: [{ message: 'networkData.version', line: 2 }] });
    expect(checkNetworkData('ethernets: {}\n')).toEqual({ ok: false, problems: [{ message: 'networkData.version', line: 1 }] });
    expect(checkNetworkData('- version: 2\n')).toEqual({ ok: false, problems: [{ message: 'networkData.notMapping', line: 1 }] });
    expect(checkNetworkData('version: 2\nethernets: {\n')).toMatchObject({ ok: false, problems: [{ message: 'networkData.yaml' }] });
  });
});

describe('composeUserData', () => {
  it('is undefined when nothing was given', () => {
    expect(composeUserData({ sshKeys: [] })).toBeUndefined();
    expect(composeUserData({ sshKeys: ['  '], password: '', userData: '\n' })).toBeUndefined();
  });

  it('gives the default user the keys, deduplicated with the free data, and the password', () => {
    const data = read(composeUserData({ sshKeys: [key1, key2, key1], password: 'yes', userData: `#cloud-config\nssh_authorized_keys:\n  - ${key2}\nhostname: web\n` }));
    expect(data.ssh_authorized_keys).toEqual([key2, key1]);
    // PyYAML would read an unquoted yes as true.
    expect(data.password).toBe('yes');
    expect(data.chpasswd).toEqual({ expire: false });
    expect(data.hostname).toBe('web');
    expect(data.users).toBeUndefined();
  });

  it('makes a user with the keys and password, keeping the entries the free data listed', () => {
    const data = read(composeUserData({ sshKeys: [key1], user: 'dev', password: 'secret', userData: 'users:\n  - default\n  - name: ops\n' }));
    expect(data.users).toEqual([
      'default',
      { name: 'ops' },
      { name: 'dev', ssh_authorized_keys: [key1], plain_text_passwd: 'secret', lock_passwd: false, shell: '/bin/sh' },
    ]);
    expect(data.ssh_authorized_keys).toBeUndefined();
    expect(data.password).toBeUndefined();
  });

  it('merges into the free data entry of the same user', () => {
    const data = read(composeUserData({ sshKeys: [key1], user: 'dev', userData: `users:\n  - name: dev\n    shell: /bin/bash\n    ssh_authorized_keys: ['${key2}']\n` }));
    expect(data.users).toEqual([{ name: 'dev', shell: '/bin/bash', ssh_authorized_keys: [key2, key1], lock_passwd: false }]);
  });

  it('keeps free user-data as written when there is nothing to merge, adding the header it lacks', () => {
    expect(composeUserData({ sshKeys: [], userData: '#cloud-config\n# keep me\nhostname: web\n' })).toBe('#cloud-config\n# keep me\nhostname: web\n');
    expect(composeUserData({ sshKeys: [], userData: 'hostname: web\n' })).toBe('#cloud-config\nhostname: web\n');
  });

  it('passes a script on untouched', () => {
    expect(composeUserData({ sshKeys: [key1], userData: '#!/bin/sh\necho hi\n' })).toBe('#!/bin/sh\necho hi\n');
  });
});
