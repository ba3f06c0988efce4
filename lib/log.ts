// Structured logs: one JSON object per line on stdout, so a log collector can index them without parsing text.
// Never pass tokens, cookies or raw upstream bodies in `fields`.

type Level = 'debug' | 'info' | 'warn' | 'error';

const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const threshold = order[(process.env.LOG_LEVEL as Level) ?? 'info'] ?? order.info;

export function log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  if (order[level] < threshold) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
  if (level === 'error' || level === 'warn') process.stderr.write(line + '\n');
  else process.stdout.write(line + '\n');
}

export const REQUEST_ID_HEADER = 'x-request-id';

// A caller-supplied id is kept only when it looks like an id, so log lines cannot be forged through it.
export function acceptRequestId(supplied: string | string[] | undefined, generate: () => string): string {
  const value = Array.isArray(supplied) ? supplied[0] : supplied;
  return value && /^[A-Za-z0-9._-]{8,128}$/.test(value) ? value : generate();
}
