// The CSI side-cars act on informer events, one object at a time: events that arrive while an object is being
// worked on are coalesced into one more run with the newest of them, so no change is lost and none runs twice at once.
export class OneAtATime {
  private readonly busy = new Set<string>();
  private readonly next = new Map<string, () => Promise<void>>();

  constructor(private readonly who: string) {}

  async run(key: string, fn: () => Promise<void>): Promise<void> {
    if (this.busy.has(key)) {
      this.next.set(key, fn);
      return;
    }
    this.busy.add(key);
    try {
      await fn();
    } catch (e) {
      console.error(JSON.stringify({ msg: `${this.who} failed`, key, error: String(e).slice(0, 500) }));
    } finally {
      this.busy.delete(key);
      const again = this.next.get(key);
      if (again) {
        this.next.delete(key);
        void this.run(key, again);
      }
    }
  }
}
