// Structured logs: one JSON object per line on stdout, so a log collector can index them without parsing text.
// Never pass tokens, cookies or raw upstream bodies in `fields`.

import { logLevel, type LogLevel } from './settings/logging';

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const threshold = order[logLevel()];

export function log(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
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
