import { describe, expect, it } from 'vitest';
import { initialForm, isNad, nadRef, nextFreeName, sshKeyLines } from './form-values';
import { createVmForm } from '@/lib/kubevirt/create/form';

describe('form values', () => {
  it('start from a form the model reads, short only of what the user must choose', () => {
    const f = initialForm('team-a');
    expect(f.namespace).toBe('team-a');
    const r = createVmForm.safeParse({ ...f, name: 'vm1', bootSource: { kind: 'dataSource', namespace: 'images', name: 'fedora' }, size: { kind: 'instancetype', instancetype: 'u1.medium' } });
    expect(r.success).toBe(true);
    expect(initialForm().namespace).toBe('');
  });
  it('find the next free name', () => {
    expect(nextFreeName('disk', [])).toBe('disk1');
    expect(nextFreeName('net', ['net1', 'net3'])).toBe('net2');
  });
  it('read SSH keys one per non-blank line, keeping line numbers', () => {
    expect(sshKeyLines('')).toEqual({ keys: [], lines: [] });
    expect(sshKeyLines('ssh-ed25519 AAAA a@b\n\n  ssh-rsa BBBB  \r\n')).toEqual({ keys: ['ssh-ed25519 AAAA a@b', 'ssh-rsa BBBB'], lines: [1, 3] });
  });
  it('name NADs as seen from the VM namespace', () => {
    expect(nadRef('team-a', { namespace: 'team-a', name: 'vlan10' })).toBe('vlan10');
    expect(nadRef('team-a', { namespace: 'shared', name: 'vlan10' })).toBe('shared/vlan10');
    expect(isNad('team-a', 'vlan10', { namespace: 'team-a', name: 'vlan10' })).toBe(true);
    expect(isNad('team-a', 'shared/vlan10', { namespace: 'shared', name: 'vlan10' })).toBe(true);
    expect(isNad('team-a', 'vlan10', { namespace: 'shared', name: 'vlan10' })).toBe(false);
  });
});
