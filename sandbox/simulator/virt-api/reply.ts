// What a subresource handler answers, kept as data so handlers can be tested without an HTTP server.
import type { ServerResponse } from 'node:http';
import { type Status, StatusError, internalError, writePlain, writeStatus } from './status.ts';

export type Reply =
  /** Success with no body: 202 for VM lifecycle PUTs, 200 for VMI action PUTs. */
  | { type: 'empty'; code: number }
  /** writeError(): a JSON metav1.Status. */
  | { type: 'status'; status: Status }
  /** response.WriteEntity(): JSON with 200. */
  | { type: 'json'; code: number; body: unknown }
  /** response.WriteError / WriteErrorString: plain text. */
  | { type: 'plain'; code: number; text: string }
  | { type: 'binary'; code: number; contentType: string; body: Buffer };

export const empty = (code: number): Reply => ({ type: 'empty', code });

export function writeReply(res: ServerResponse, r: Reply) {
  switch (r.type) {
    case 'empty':
      res.writeHead(r.code, { 'content-length': 0 });
      res.end();
      return;
    case 'status':
      writeStatus(res, r.status);
      return;
    case 'json': {
      const text = JSON.stringify(r.body);
      res.writeHead(r.code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    case 'plain':
      writePlain(res, r.code, r.text);
      return;
    case 'binary':
      res.writeHead(r.code, { 'content-type': r.contentType, 'content-length': r.body.length });
      res.end(r.body);
      return;
  }
}

/** Runs a handler and turns a thrown StatusError (or anything else) into a Status reply. */
export async function replyOf(fn: () => Promise<Reply>): Promise<Reply> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof StatusError) return { type: 'status', status: e.status };
    return { type: 'status', status: internalError(e instanceof Error ? e.message : String(e)) };
  }
}
