// The request side of virt-api's subresource routes: the path (parsed once), the body (read in full) and
// decodeBody(): apimachinery's YAML-or-JSON decoder into one of KubeVirt's option structs, with Go's error texts.
import type { IncomingMessage } from 'node:http';
import YAML from 'yaml';
import { subresourceGroup, subresourceVersions } from './server.ts';

export type SubresourceKind = 'virtualmachines' | 'virtualmachineinstances';

export interface SubresourcePath {
  group: string;
  version: string;
  namespace: string;
  resource: SubresourceKind;
  name: string;
  /** Everything after the name, e.g. `start` or `vnc/screenshot`. */
  subresource: string;
  /** What virt-api's authorizer uses as the subresource: the first segment only (`vnc` for vnc/screenshot). */
  authSubresource: string;
}

/**
 * `/apis/subresources.kubevirt.io/{v1|v1alpha3}/namespaces/{ns}/{virtualmachines|virtualmachineinstances}/{name}/{sub…}`
 * → its parts, or undefined when the path is not a namespaced VM/VMI subresource.
 */
export function parseSubresourcePath(url: string): SubresourcePath | undefined {
  const pathname = new URL(url, 'https://virt-api').pathname;
  const raw = pathname.split('/');
  // ['', 'apis', group, version, 'namespaces', ns, resource, name, sub, …]
  if (raw.length < 9 || raw[0] !== '' || raw[1] !== 'apis' || raw[4] !== 'namespaces') return undefined;
  let parts: string[];
  try {
    parts = raw.map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
  const [, , group, version, , namespace, resource, name, ...rest] = parts;
  if (group !== subresourceGroup || !version || !subresourceVersions.includes(version)) return undefined;
  if (resource !== 'virtualmachines' && resource !== 'virtualmachineinstances') return undefined;
  if (!namespace || !name || rest.length === 0 || !rest[0]) return undefined;
  return { group, version, namespace, resource, name, subresource: rest.join('/'), authSubresource: rest[0] };
}

/** Reads the whole request body (virt-api has no limit of its own; 1 MiB is plenty for option structs). */
export function readBody(req: IncomingMessage, limit = 1 << 20): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// decodeBody

type FieldType = 'bool' | 'int64' | 'string' | 'stringList';

/** One of KubeVirt's option structs: its Go name and its JSON fields. */
export interface OptionsType {
  goName: string;
  fields: Record<string, FieldType>;
}

const typeMeta = { kind: 'string', apiVersion: 'string' } as const;
export const StartOptions: OptionsType = { goName: 'StartOptions', fields: { ...typeMeta, paused: 'bool', dryRun: 'stringList' } };
export const StopOptions: OptionsType = { goName: 'StopOptions', fields: { ...typeMeta, gracePeriod: 'int64', dryRun: 'stringList' } };
export const RestartOptions: OptionsType = {
  goName: 'RestartOptions',
  fields: { ...typeMeta, gracePeriodSeconds: 'int64', dryRun: 'stringList' },
};
export const PauseOptions: OptionsType = { goName: 'PauseOptions', fields: { ...typeMeta, dryRun: 'stringList' } };
export const UnpauseOptions: OptionsType = { goName: 'UnpauseOptions', fields: { ...typeMeta, dryRun: 'stringList' } };

export interface DecodedOptions {
  kind?: string;
  apiVersion?: string;
  paused?: boolean;
  gracePeriod?: number;
  gracePeriodSeconds?: number;
  dryRun?: string[];
}

export type DecodeResult = { ok: true; value: DecodedOptions } | { ok: false; error: string };

/** The message virt-api answers a malformed body with (400). */
export const unmarshalErrorMessage = (err: string) => `Can not unmarshal Request body to struct, error: ${err}`;

/**
 * yaml.NewYAMLOrJSONDecoder(body).Decode(&opts): a body starting with `{` (after white space) is JSON and only its
 * first value is read; anything else is YAML (its first document). An empty body is EOF, which virt-api accepts.
 */
export function decodeBody(body: string, type: OptionsType): DecodeResult {
  const trimmed = body.replace(/^[\s\uFEFF]+/, '');
  if (!trimmed) return { ok: true, value: {} };
  if (trimmed.startsWith('{')) {
    let value: unknown;
    try {
      value = new GoJsonScanner(trimmed).firstValue();
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
    return assign(value, type, '');
  }
  let doc: unknown;
  try {
    const docs = YAML.parseAllDocuments(body, { version: '1.1' });
    const first = Array.isArray(docs) ? docs[0] : docs;
    if (!first) return { ok: true, value: {} };
    if (first.errors.length > 0) throw first.errors[0];
    doc = first.toJS();
  } catch (e) {
    return { ok: false, error: `error converting YAML to JSON: yaml: ${(e as Error).message.split('\n')[0]}` };
  }
  if (doc === undefined) return { ok: true, value: {} };
  return assign(doc, type, 'error unmarshaling JSON: while decoding JSON: ');
}

const jsonKind = (v: unknown) =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v;

/** encoding/json's Unmarshal into the struct: case-insensitive field match, unknown fields ignored, first type error wins. */
function assign(value: unknown, type: OptionsType, prefix: string): DecodeResult {
  if (value === null) return { ok: true, value: {} };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: `${prefix}json: cannot unmarshal ${jsonKind(value)} into Go value of type v1.${type.goName}` };
  }
  const out: Record<string, unknown> = {};
  let firstError: string | undefined;
  const fail = (what: string, field: string, goType: string) => {
    firstError ??= `${prefix}json: cannot unmarshal ${what} into Go struct field ${type.goName}.${field} of type ${goType}`;
  };
  const names = Object.keys(type.fields);
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const field = names.find((n) => n === key) ?? names.find((n) => n.toLowerCase() === key.toLowerCase());
    if (!field) continue;
    const ft = type.fields[field];
    if (v === null) continue;
    switch (ft) {
      case 'bool':
        if (typeof v === 'boolean') out[field] = v;
        else fail(jsonKind(v), field, 'bool');
        break;
      case 'string':
        if (typeof v === 'string') out[field] = v;
        else fail(jsonKind(v), field, 'string');
        break;
      case 'int64':
        if (typeof v === 'number' && Number.isInteger(v)) out[field] = v;
        else if (typeof v === 'number') fail(`number ${v}`, field, 'int64');
        else fail(jsonKind(v), field, 'int64');
        break;
      case 'stringList':
        if (!Array.isArray(v)) {
          fail(jsonKind(v), field, '[]string');
          break;
        }
        out[field] = v.map((item) => {
          if (typeof item === 'string') return item;
          if (item !== null) fail(jsonKind(item), field, 'string');
          return '';
        });
        break;
      default:
        break;
    }
  }
  if (firstError) return { ok: false, error: firstError };
  return { ok: true, value: out as DecodedOptions };
}

/**
 * A JSON reader that stops after the first value (like json.Decoder) and fails with encoding/json's messages
 * (`invalid character 'x' looking for beginning of value`, `unexpected EOF`, …).
 */
export class GoJsonScanner {
  private i = 0;
  constructor(private readonly s: string) {}

  firstValue(): unknown {
    this.ws();
    return this.value('looking for beginning of value');
  }

  private ws() {
    while (this.i < this.s.length && ' \t\r\n'.includes(this.s[this.i]!)) this.i++;
  }

  private eof(): never {
    throw new Error('unexpected EOF');
  }

  private invalid(ctx: string): never {
    const c = this.s[this.i]!;
    const q = c === "'" ? "'\\''" : c === '"' ? "'\"'" : `'${JSON.stringify(c).slice(1, -1)}'`;
    throw new Error(`invalid character ${q} ${ctx}`);
  }

  private value(ctx: string): unknown {
    if (this.i >= this.s.length) this.eof();
    const c = this.s[this.i]!;
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [lit, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (c === lit[0]) {
        for (let k = 1; k < lit.length; k++) {
          this.i++;
          if (this.i >= this.s.length) this.eof();
          if (this.s[this.i] !== lit[k]) this.invalid(`in literal ${lit} (expecting '${lit[k]}')`);
        }
        this.i++;
        return v;
      }
    }
    return this.invalid(ctx);
  }

  private object(): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    this.i++;
    this.ws();
    if (this.i >= this.s.length) this.eof();
    if (this.s[this.i] === '}') {
      this.i++;
      return o;
    }
    for (;;) {
      this.ws();
      if (this.i >= this.s.length) this.eof();
      if (this.s[this.i] !== '"') this.invalid('looking for beginning of object key string');
      const key = this.string();
      this.ws();
      if (this.i >= this.s.length) this.eof();
      if (this.s[this.i] !== ':') this.invalid('after object key');
      this.i++;
      this.ws();
      o[key] = this.value('looking for beginning of value');
      this.ws();
      if (this.i >= this.s.length) this.eof();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === '}') {
        this.i++;
        return o;
      }
      this.invalid('after object key:value pair');
    }
  }

  private array(): unknown[] {
    const a: unknown[] = [];
    this.i++;
    this.ws();
    if (this.i >= this.s.length) this.eof();
    if (this.s[this.i] === ']') {
      this.i++;
      return a;
    }
    for (;;) {
      this.ws();
      a.push(this.value('looking for beginning of value'));
      this.ws();
      if (this.i >= this.s.length) this.eof();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === ']') {
        this.i++;
        return a;
      }
      this.invalid('after array element');
    }
  }

  private string(): string {
    const start = this.i;
    this.i++;
    for (;;) {
      if (this.i >= this.s.length) this.eof();
      const c = this.s[this.i]!;
      if (c === '"') break;
      if (c === '\\') {
        this.i++;
        if (this.i >= this.s.length) this.eof();
        const e = this.s[this.i]!;
        if (e === 'u') {
          for (let k = 0; k < 4; k++) {
            this.i++;
            if (this.i >= this.s.length) this.eof();
            if (!/[0-9a-fA-F]/.test(this.s[this.i]!)) this.invalid('in \\u hexadecimal character escape');
          }
        } else if (!'"\\/bfnrt'.includes(e)) this.invalid('in string escape code');
      } else if (c < ' ') this.invalid('in string literal');
      this.i++;
    }
    this.i++;
    return JSON.parse(this.s.slice(start, this.i)) as string;
  }

  private number(): number {
    const start = this.i;
    const digits = () => {
      while (this.i < this.s.length && this.s[this.i]! >= '0' && this.s[this.i]! <= '9') this.i++;
    };
    const needDigit = (ctx: string) => {
      if (this.i >= this.s.length) this.eof();
      if (!(this.s[this.i]! >= '0' && this.s[this.i]! <= '9')) this.invalid(ctx);
    };
    if (this.s[this.i] === '-') {
      this.i++;
      needDigit('in numeric literal');
    }
    if (this.s[this.i] === '0') this.i++;
    else digits();
    if (this.s[this.i] === '.') {
      this.i++;
      needDigit('after decimal point in numeric literal');
      digits();
    }
    if (this.s[this.i] === 'e' || this.s[this.i] === 'E') {
      this.i++;
      if (this.s[this.i] === '+' || this.s[this.i] === '-') this.i++;
      needDigit('in exponent of numeric literal');
      digits();
    }
    // A number at the very end of the stream could still continue: the decoder reports EOF there.
    if (this.i >= this.s.length) this.eof();
    return Number(this.s.slice(start, this.i));
  }
}
