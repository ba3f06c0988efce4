import { describe, expect, it } from 'vitest';
import type { AuthMode } from '../settings';
import { isLoopback, listenHost } from './listen-host';

const env = (authMode: AuthMode, host?: string, allowRemoteKubeconfigMode = false) => ({ authMode, host, allowRemoteKubeconfigMode });

describe('listenHost', () => {
  it('keeps the all-interfaces default and HOST when users sign in', () => {
    expect(listenHost(env('token'))).toEqual({ ok: true, host: '0.0.0.0', warnings: [] });
    expect(listenHost(env('impersonate', '10.0.0.5'))).toEqual({ ok: true, host: '10.0.0.5', warnings: [] });
  });

  it('listens on loopback in kubeconfig mode by default, with a warning', () => {
    const d = listenHost(env('kubeconfig'));
    expect(d.ok && d.host).toBe('127.0.0.1');
    expect(d.ok && d.warnings.join()).toMatch(/no sign-in/);
  });

  it('accepts a loopback HOST in kubeconfig mode', () => {
    expect(listenHost(env('kubeconfig', '::1'))).toMatchObject({ ok: true, host: '::1' });
    expect(listenHost(env('kubeconfig', 'localhost'))).toMatchObject({ ok: true, host: 'localhost' });
  });

  it('refuses a network HOST in kubeconfig mode unless remote access is allowed', () => {
    expect(listenHost(env('kubeconfig', '0.0.0.0'))).toMatchObject({ ok: false });
    expect(listenHost(env('kubeconfig', '0.0.0.0', false))).toMatchObject({ ok: false });
    expect(listenHost(env('kubeconfig', '192.168.1.10', true))).toMatchObject({ ok: true, host: '192.168.1.10' });
  });

  it('listens everywhere only when told, and says so loudly', () => {
    const d = listenHost(env('kubeconfig', undefined, true));
    expect(d.ok && d.host).toBe('0.0.0.0');
    expect(d.ok && d.warnings.join()).toMatch(/network/);
  });
});

describe('isLoopback', () => {
  it.each(['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'LOCALHOST'])('%s is loopback', (h) => expect(isLoopback(h)).toBe(true));
  it.each(['0.0.0.0', '::', '10.0.0.1', 'localhost.evil.example', '1127.0.0.1'])('%s is not', (h) => expect(isLoopback(h)).toBe(false));
});
