// Bounded concurrency for fan-outs (lists over many namespaces, access reviews): a user with 300 namespaces must
// not put 300 requests on the API server connection pool at once, where they would queue ahead of everyone else.

/** fn over every item, at most `limit` at a time; results in the items' order. The first rejection wins. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
