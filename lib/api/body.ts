import 'server-only';
import { PortalError } from '../k8s/errors';

/** A request's JSON body, read only up to maxBytes: a body that is too large or not JSON is a 400/413, not a 500. */
export async function readJson(req: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(req.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new PortalError(413, 'bad_request', `The request body is larger than ${maxBytes} bytes.`);
  const reader = req.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw new PortalError(413, 'bad_request', `The request body is larger than ${maxBytes} bytes.`);
      }
      chunks.push(value);
    }
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new PortalError(400, 'bad_request', 'The request body is not JSON.');
  }
}
