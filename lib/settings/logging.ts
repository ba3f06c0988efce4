import { z } from 'zod';
import { withDefault, type Env } from './vars';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const level = withDefault(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }), 'info');

export const loggingVars = { LOG_LEVEL: level };

/**
 * The logger's threshold, read on its own: the logger must work before the other settings are checked, and to
 * report them. A bad value is reported with the rest at start (loggingVars); until then it logs at info.
 */
export function logLevel(env: Env = process.env): LogLevel {
  const r = level.safeParse(env.LOG_LEVEL);
  return r.success ? r.data : 'info';
}
