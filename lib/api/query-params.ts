import type { z } from 'zod';
import { PortalError } from '../k8s/errors';

// A query parameter that carries JSON (the watch route's resourceVersions per scope). Broken JSON is the caller's
// 400 like any other invalid input; a missing parameter is parsed from `fallback`.
export function jsonQueryParam<S extends z.ZodType>(params: URLSearchParams, name: string, schema: S, fallback: string): z.output<S> {
  const text = params.get(name) ?? fallback;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new PortalError(400, 'bad_request', `The query parameter ${name} is not valid JSON.`, { parameter: name });
  }
  return schema.parse(value);
}
