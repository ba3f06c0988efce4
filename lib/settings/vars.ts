import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

// The pieces every settings module reads its variables with. An empty variable counts as unset (`FOO=` in a unit
// file or a compose file means "no value"), so it gets the default rather than failing as a bad value.

export type Env = Record<string, string | undefined>;

// How a settings module says that a variable it has no default for is missing, with why it is needed; all of them
// are collected and reported together at start.
export interface Requirements {
  need(variable: string, why: string): void;
  // A value that is well-formed alone but not with the others.
  refuse(variable: string, message: string): void;
}

/** What a module's variables parse to. */
export type Parsed<S extends z.ZodRawShape> = z.output<z.ZodObject<S>>;

const unsetIfEmpty = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess(unsetIfEmpty, schema.optional());
}

export function withDefault<T extends z.ZodType>(schema: T, value: z.input<T>) {
  return z.preprocess((v) => unsetIfEmpty(v) ?? value, schema);
}

export const text = z.string().trim();

// Only an exact yes or no: a typo must not quietly switch something on or off.
export const flag = z
  .string()
  .trim()
  .refine((v) => v === 'true' || v === 'false', 'must be true or false')
  .transform((v) => v === 'true');

export const positiveInt = z
  .string()
  .trim()
  .regex(/^\d+$/, 'must be a positive integer')
  .transform(Number)
  .refine((n) => Number.isSafeInteger(n) && n > 0, 'must be a positive integer');

export const nonNegativeInt = z
  .string()
  .trim()
  .regex(/^\d+$/, 'must be a whole number, 0 or more')
  .transform(Number)
  .refine((n) => Number.isSafeInteger(n), 'must be a whole number, 0 or more');

export const portNumber = z
  .string()
  .trim()
  .regex(/^\d+$/, 'must be a port number')
  .transform(Number)
  .pipe(z.number().int().min(1, 'must be a port number').max(65535, 'must be a port number'));

export const httpUrl = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }))
  .transform((v) => v.replace(/\/+$/, ''));

// A file named explicitly must exist at start; a missing one would otherwise fail only at the first request.
export const existingFile = text.transform((p) => resolve(/*turbopackIgnore: true*/ p)).refine((p) => existsSync(/*turbopackIgnore: true*/ p), 'no such file');

/** The file when it exists now. A sandbox default is used only once the sandbox has made it. */
export function presentFile(file: string | undefined): string | undefined {
  return file && existsSync(/*turbopackIgnore: true*/ file) ? file : undefined;
}
