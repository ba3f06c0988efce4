import { describe, expect, it } from 'vitest';
import { decide, templateHash } from './vm-controller.ts';
import type { VM, VMI } from '../kubevirt/types.ts';

const vm = (runStrategy: string, status: Record<string, unknown> = {}): VM =>
  ({ metadata: { name: 'v', namespace: 'n', uid: 'vm1' }, spec: { runStrategy, template: { spec: { domain: { devices: {} } } } }, status }) as unknown as VM;
const vmi = (phase: string, uid = 'i1'): VMI => ({ metadata: { name: 'v', namespace: 'n', uid }, status: { phase } }) as unknown as VMI;

describe('run strategies', () => {
  it('Always creates a VMI, and replaces a final one', () => {
    expect(decide(vm('Always'), undefined).createVmi).toBe(true);
    const d = decide(vm('Always'), vmi('Failed'));
    expect([d.deleteVmi, d.createVmi]).toEqual([true, true]);
  });
  it('Always honours the start-failure backoff', () => {
    const later = new Date(Date.now() + 60_000).toISOString();
    expect(decide(vm('Always', { startFailure: { consecutiveFailCount: 1, retryAfterTimestamp: later } }), undefined).createVmi).toBe(false);
  });
  it('Halted deletes a VMI; a paused Start request switches it to Always', () => {
    expect(decide(vm('Halted'), vmi('Running')).deleteVmi).toBe(true);
    const d = decide(vm('Halted', { stateChangeRequests: [{ action: 'Start', data: { paused: 'true' } }] }), undefined);
    expect([d.setRunStrategy, d.createVmi, d.paused]).toEqual(['Always', true, true]);
  });
  it('Manual acts only on requests, and pops them once acted on', () => {
    expect(decide(vm('Manual'), undefined).createVmi).toBe(false);
    const start = decide(vm('Manual', { stateChangeRequests: [{ action: 'Start' }] }), undefined);
    expect([start.createVmi, start.requests]).toEqual([true, []]);
    const stop = decide(vm('Manual', { stateChangeRequests: [{ action: 'Stop', uid: 'i1' }] }), vmi('Running'));
    expect([stop.deleteVmi, stop.stopExpected, stop.requests]).toEqual([true, true, []]);
  });
  it.each(['Manual', 'RerunOnFailure'])('%s keeps a restart\'s Start until the new VMI is created', (strategy) => {
    const restart = [{ action: 'Stop', uid: 'i1' }, { action: 'Start' }];
    const first = decide(vm(strategy, { runStrategy: strategy, stateChangeRequests: restart }), vmi('Running'));
    expect([first.deleteVmi, first.requests]).toEqual([true, [{ action: 'Start' }]]);
    const terminating = { ...vmi('Running'), metadata: { ...vmi('Running').metadata, deletionTimestamp: 'now' } } as VMI;
    const waiting = decide(vm(strategy, { runStrategy: strategy, stateChangeRequests: first.requests }), terminating);
    expect([waiting.deleteVmi, waiting.requests, waiting.startExpected]).toEqual([false, [{ action: 'Start' }], true]);
    const gone = decide(vm(strategy, { runStrategy: strategy, stateChangeRequests: waiting.requests }), undefined);
    expect([gone.createVmi, gone.requests]).toEqual([true, []]);
  });
  it('RerunOnFailure restarts a Failed VMI but not a Succeeded one', () => {
    const failed = decide(vm('RerunOnFailure', { runStrategy: 'RerunOnFailure' }), vmi('Failed'));
    expect([failed.deleteVmi, failed.createVmi]).toEqual([true, true]);
    const done = decide(vm('RerunOnFailure', { runStrategy: 'RerunOnFailure' }), vmi('Succeeded'));
    expect([done.deleteVmi, done.createVmi]).toEqual([true, false]);
  });
  it('Once starts the first time only', () => {
    expect(decide(vm('Once'), undefined).createVmi).toBe(true);
    expect(decide(vm('Once', { runStrategy: 'Once' }), undefined).createVmi).toBe(false);
  });
});

describe('templateHash', () => {
  it('ignores hot-pluggable parts and sees the rest', () => {
    const a = vm('Always');
    const b = structuredClone(a);
    (b.spec!.template!.spec as any).networks = [{ name: 'x', pod: {} }];
    expect(templateHash(b)).toBe(templateHash(a));
    (b.spec!.template!.spec!.domain as any).cpu = { cores: 2 };
    expect(templateHash(b)).not.toBe(templateHash(a));
  });
});

describe('an unreadable run strategy', () => {
  it('neither starts nor stops, and keeps the pending requests', () => {
    const both = { metadata: { name: 'v', namespace: 'n', uid: 'vm1' }, spec: { running: true, runStrategy: 'Halted' }, status: { stateChangeRequests: [{ action: 'Start' }] } } as unknown as VM;
    const d = decide(both, vmi('Running'));
    expect(d).toMatchObject({ deleteVmi: false, createVmi: false, startExpected: false, stopExpected: false, requests: [{ action: 'Start' }] });
    expect(decide(both, undefined).createVmi).toBe(false);
  });
});
