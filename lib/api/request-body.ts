import type { z } from 'zod';
import { PortalError } from '../k8s/errors';
import { readCapped } from '../server/read-capped';

// Reading a route's JSON body: bounded in size (by the declared length and again while reading, since a chunked
// body declares none) and parsed so that a broken body is the caller's 400, never the portal's 500.

export const MAX_BODY_BYTES = 1024 * 1024;

export function bodyTooLarge(limit: number): PortalError {
  return new PortalError(413, 'payload_too_large', `The request body is larger than ${limit} bytes.`, { limitBytes: limit });
}

export function declaredLengthTooLarge(contentLength: string | null | undefined, limit = MAX_BODY_BYTES): boolean {
  return contentLength != null && /^\d+$/.test(contentLength) && Number(contentLength) > limit;
}

async function readBodyText(req: Request, limit = MAX_BODY_BYTES): Promise<string> {
  if (declaredLengthTooLarge(req.headers.get('content-length'), limit)) throw bodyTooLarge(limit);
  const bytes = await readCapped(req.body, limit, () => bodyTooLarge(limit));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new PortalError(400, 'bad_request', 'The request body is not valid UTF-8.');
  }
}

// An empty body reaches the schema as undefined, so a route whose body is optional says so with .default().
export async function readJsonBody<S extends z.ZodType>(req: Request, schema: S, limit = MAX_BODY_BYTES): Promise<z.output<S>> {
  const text = await readBodyText(req, limit);
  let value: unknown;
  if (text.trim() !== '') {
    try {
      value = JSON.parse(text);
    } catch {
      throw new PortalError(400, 'bad_request', 'The request body is not valid JSON.');
    }
  }
  return schema.parse(value);
}
