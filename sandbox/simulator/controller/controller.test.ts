import { describe, expect, it } from 'vitest';
import type { KubeClient, KubeObject } from '../kube/client.ts';
import { Controller, type InformerEvent } from './controller.ts';
import { Store } from './queue.ts';

type Handler = (type: InformerEvent, o: KubeObject | undefined) => void;

/** Informers by path, fed by hand. */
class FakeInformers {
  readonly open = new Map<string, Handler>();
  readonly opened: string[] = [];
  informer(path: string, handler: Handler) {
    this.opened.push(path);
    this.open.set(path, handler);
    return () => this.open.delete(path);
  }
  emit(path: string, type: InformerEvent, name?: string) {
    this.open.get(path)?.(type, name ? { metadata: { name, namespace: 'ns' } } : undefined);
  }
}

const settle = () => new Promise((r) => setImmediate(r));

class Example extends Controller {
  readonly things = new Store<KubeObject>();
  readonly others = new Store<KubeObject>();
  readonly reconciled: string[] = [];
  readonly seen: string[] = [];
  readonly queue = this.workQueue('thing', async (key) => void this.reconciled.push(key));

  constructor(kube: FakeInformers) {
    super(kube as unknown as KubeClient);
    this.watch('/things', { store: this.things, queue: this.queue });
    this.watch('/others', {
      store: this.others,
      // What the store holds by the time onEvent runs, to show the order.
      onEvent: (type, o) => this.seen.push(`${type} ${o?.metadata.name ?? '-'} ${this.others.list().length}`),
    });
  }
}

describe('Controller', () => {
  it('opens its informers on start, in the order it declared them', () => {
    const kube = new FakeInformers();
    const c = new Example(kube);
    expect(kube.opened).toEqual([]);
    c.start();
    expect(kube.opened).toEqual(['/things', '/others']);
    c.stop();
  });

  it('keeps the store current and reconciles the key of each event', async () => {
    const kube = new FakeInformers();
    const c = new Example(kube);
    c.start();
    kube.emit('/things', 'ADDED', 'a');
    kube.emit('/things', 'MODIFIED', 'a');
    kube.emit('/things', 'ADDED', 'b');
    await settle();
    expect(c.things.list().map((t) => t.metadata.name)).toEqual(['a', 'b']);
    expect(c.reconciled).toEqual(['ns/a', 'ns/b']);
    kube.emit('/things', 'DELETED', 'a');
    await settle();
    expect(c.things.get('ns/a')).toBeUndefined();
    expect(c.reconciled).toEqual(['ns/a', 'ns/b', 'ns/a']);
    c.stop();
  });

  it('queues every stored key again on SYNCED', async () => {
    const kube = new FakeInformers();
    const c = new Example(kube);
    c.start();
    kube.emit('/things', 'ADDED', 'a');
    kube.emit('/things', 'ADDED', 'b');
    await settle();
    c.reconciled.length = 0;
    kube.emit('/things', 'SYNCED');
    await settle();
    expect(c.things.synced).toBe(true);
    expect(c.reconciled.sort()).toEqual(['ns/a', 'ns/b']);
    c.stop();
  });

  it('hands events to onEvent after the store has them, and queues nothing for a watch without a queue', async () => {
    const kube = new FakeInformers();
    const c = new Example(kube);
    c.start();
    kube.emit('/others', 'ADDED', 'x');
    kube.emit('/others', 'SYNCED');
    await settle();
    expect(c.seen).toEqual(['ADDED x 1', 'SYNCED - 1']);
    expect(c.reconciled).toEqual([]);
    c.stop();
  });

  it('closes its informers and queues on stop', async () => {
    const kube = new FakeInformers();
    const c = new Example(kube);
    c.start();
    c.stop();
    expect(kube.open.size).toBe(0);
    c.queue.add('ns/late');
    await settle();
    expect(c.reconciled).toEqual([]);
  });
});
