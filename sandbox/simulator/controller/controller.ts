// What every simulated controller shares, as a client-go controller does: informers keep Stores current and turn
// events into keys on work queues; start() opens the informers, stop() closes them and the queues. A subclass says
// in its constructor what it watches and which queue reconciles what, and keeps only its reconcilers.
import type { KubeClient, KubeObject } from '../kube/client.ts';
import { Store, WorkQueue } from './queue.ts';

export type InformerEvent = 'ADDED' | 'MODIFIED' | 'DELETED' | 'SYNCED';

export interface Watch<T extends KubeObject> {
  /** Kept current from the events. */
  store?: Store<T>;
  /**
   * The queue of the controller's own objects of this kind: every event queues its object's key, and SYNCED (a
   * complete list, first or after a broken watch) queues every stored key so each object is looked at again.
   */
  queue?: WorkQueue;
  /** What else an event wakes, once the store and the queue have seen it. */
  onEvent?: (type: InformerEvent, o: T | undefined) => void;
}

type Handler = (type: InformerEvent, o: KubeObject | undefined) => void;

export abstract class Controller {
  private readonly informers: { path: string; handler: Handler }[] = [];
  private readonly queues: WorkQueue[] = [];
  private stops: (() => void)[] = [];

  constructor(protected readonly kube: KubeClient) {}

  /** A queue whose keys `reconcile` handles; it stops with the controller. */
  protected workQueue(name: string, reconcile: (key: string) => Promise<void>): WorkQueue {
    const queue = new WorkQueue(name, reconcile);
    this.queues.push(queue);
    return queue;
  }

  /** Follows the collection at `path` from start() on. */
  protected watch<T extends KubeObject>(path: string, { store, queue, onEvent }: Watch<T>) {
    this.informers.push({
      path,
      handler: (type, obj) => {
        const o = obj as T | undefined;
        store?.apply(type, o);
        if (queue && o) queue.add(Store.key(o));
        if (queue && store && type === 'SYNCED') for (const x of store.list()) queue.add(Store.key(x));
        onEvent?.(type, o);
      },
    });
  }

  start() {
    for (const { path, handler } of this.informers) this.stops.push(this.kube.informer(path, handler));
  }

  stop() {
    for (const s of this.stops) s();
    this.stops = [];
    for (const q of this.queues) q.stop();
  }
}
