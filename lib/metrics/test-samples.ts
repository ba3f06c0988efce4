import { parseExposition } from './exposition';
import { scrape } from './registry';

// For tests: a figure of this process's metrics as a scraper reads it (the exposition, through the project's own
// reader): the sum of the samples of `name` whose labels include `labels`.
export async function sampleValue(name: string, labels: Record<string, string> = {}): Promise<number> {
  const { text } = await scrape();
  return parseExposition(text, new Set([name]))
    .filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}
