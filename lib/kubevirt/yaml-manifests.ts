import type { ErrorObject } from 'ajv';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import validateVirtualMachine from './schema/virtualmachine-validator.generated.js';

// The create-from-YAML page's own checks, run as the user types: YAML syntax, the kinds the create route accepts, and
// the VirtualMachine against KubeVirt's CRD schema (compiled ahead of time: no eval in the browser). Each problem
// carries the line to show it on. The server's dry run still decides; this only saves the round trip for the obvious.

export interface YamlProblem {
  message: string;
  // 1-based.
  line: number;
  column?: number;
  severity: 'error' | 'warning';
}

export interface ParsedManifests {
  // The documents that are mappings, in order: the create request's `manifests`, when there is no error.
  objects: Record<string, unknown>[];
  problems: YamlProblem[];
}

export interface ParseOptions {
  // The namespace the manifests are created in: a metadata.namespace that differs is an error.
  namespace?: string;
}

// Kinds the create route takes beside the one VirtualMachine: its cloud-init secret and its disks.
export const MANIFEST_KINDS: Record<string, string> = {
  VirtualMachine: 'kubevirt.io/v1',
  Secret: 'v1',
  DataVolume: 'cdi.kubevirt.io/v1beta1',
};

// The create route's limit (createRequest in lib/kubevirt/create/request.ts).
export const MAX_MANIFESTS = 16;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// resource.Quantity's pattern in every CRD: shown as an example instead of the regular expression.
const QUANTITY_PATTERN = String.raw`^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$`;

interface Source {
  docs: Document.Parsed[];
  lines: LineCounter;
}

function parse(text: string): Source {
  const lines = new LineCounter();
  // prettyErrors off: the message stays one sentence; the position comes from the line counter.
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  return { docs: docs.filter((d) => !isEmptyDocument(d)), lines };
}

// A "---" with nothing after it (or only comments) is not a manifest; an explicit null ("~") is, and is refused.
function isEmptyDocument(d: Document.Parsed): boolean {
  const c = d.contents;
  return d.errors.length === 0 && isScalar(c) && c.value === null && c.range[0] === c.range[1];
}

type Segment = string | number;

/**
 * Where a path points in a document: the offset of the key (for a mapping entry) or of the item (for a list entry)
 * that the path reaches, stopping at the nearest existing parent when the rest does not exist. `greedy` lets one
 * step match a key that itself contains dots (metadata.labels.kubevirt.io/domain), for dotted paths from the server.
 */
function locate(doc: Document.Parsed, path: readonly Segment[], greedy = false): number {
  let node: unknown = doc.contents;
  let anchor = doc.contents?.range[0] ?? doc.range[0];
  let i = 0;
  while (i < path.length) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const map = node;
      let found = false;
      for (let j = greedy ? path.length : i + 1; j > i && !found; j--) {
        const key = path.slice(i, j).join('.');
        const pair = map.items.find((p) => (isScalar(p.key) ? String(p.key.value) : undefined) === key);
        if (pair) {
          anchor = (pair.key as Node).range?.[0] ?? anchor;
          node = pair.value;
          i = j;
          found = true;
        }
      }
      if (!found) break;
    } else if (isSeq(node)) {
      const index = Number(path[i]);
      const item = Number.isInteger(index) ? node.items[index] : undefined;
      if (!item) break;
      anchor = (item as Node).range?.[0] ?? anchor;
      node = item;
      i++;
    } else break;
  }
  return anchor;
}

function position(src: Source, offset: number): { line: number; column: number } {
  const { line, col } = src.lines.linePos(offset);
  return { line, column: col };
}

// How a field is named in messages: the API server's style, spec.template.spec.volumes[0].name.
function fieldName(path: readonly Segment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function pointerSegments(pointer: string): Segment[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

const typeNames: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
  null: 'null',
};
const typeName = (t: unknown): string => (Array.isArray(t) ? t.map(typeName).join(' or ') : (typeNames[String(t)] ?? String(t)));

interface SchemaProblem {
  path: Segment[];
  message: string;
  severity: YamlProblem['severity'];
}

function valueAt(root: unknown, path: readonly Segment[]): unknown {
  let v = root;
  for (const s of path) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[s] : undefined;
  return v;
}

/**
 * ajv's errors as sentences about fields, one per problem: an int-or-string's two failed branches become one. `data`
 * is the validated object, to tell an empty field (YAML's `pod:`) from a wrong value.
 */
export function schemaProblems(errors: readonly ErrorObject[], data?: unknown, kind = 'VirtualMachine'): SchemaProblem[] {
  const anyOfs = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const inBranch = (e: ErrorObject) => anyOfs.some((a) => a !== e && e.instancePath === a.instancePath && e.schemaPath.startsWith(`${a.schemaPath}/`));
  const out: SchemaProblem[] = [];
  for (const e of errors) {
    if (inBranch(e)) continue;
    const path = pointerSegments(e.instancePath);
    const subject = (p: Segment[]) => fieldName(p) || 'the document';
    switch (e.keyword) {
      case 'required': {
        const missing = [...path, String(e.params.missingProperty)];
        out.push({ path, message: `${fieldName(missing)} is required`, severity: 'error' });
        break;
      }
      case 'additionalProperties': {
        const field = [...path, String(e.params.additionalProperty)];
        out.push({ path: field, message: `${fieldName(field)} is not a field of ${kind}; the API server drops or refuses it`, severity: 'warning' });
        break;
      }
      case 'enum':
        out.push({ path, message: `${subject(path)} must be one of ${(e.params.allowedValues as unknown[]).map(String).join(', ')}`, severity: 'error' });
        break;
      case 'type':
        if (valueAt(data, path) === null) {
          // The API server drops a null it does not allow instead of refusing it, which silently changes the meaning
          // when `{}` was meant (`masquerade:` is no binding at all).
          const hint = e.params.type === 'object' ? '; write {} for an empty mapping' : '';
          out.push({ path, message: `${subject(path)} has no value, so the API server drops it${hint}`, severity: 'warning' });
        } else out.push({ path, message: `${subject(path)} must be ${typeName(e.params.type)}`, severity: 'error' });
        break;
      case 'anyOf':
      case 'oneOf': {
        const types = errors.filter((b) => b.keyword === 'type' && b.instancePath === e.instancePath && b.schemaPath.startsWith(`${e.schemaPath}/`)).map((b) => b.params.type);
        const what = types.length ? typeName(types) : 'one of the allowed forms';
        out.push({ path, message: `${subject(path)} must be ${what}`, severity: 'error' });
        break;
      }
      case 'pattern':
        out.push({
          path,
          message: e.params.pattern === QUANTITY_PATTERN ? `${subject(path)} must be a quantity such as 2Gi, 512Mi or 500m` : `${subject(path)} must match ${String(e.params.pattern)}`,
          severity: 'error',
        });
        break;
      default:
        out.push({ path, message: `${subject(path)} ${e.message ?? 'is invalid'}`, severity: 'error' });
    }
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseManifests(text: string, options: ParseOptions = {}): ParsedManifests {
  const src = parse(text);
  const objects: Record<string, unknown>[] = [];
  const problems: YamlProblem[] = [];
  const add = (doc: Document.Parsed, path: Segment[], message: string, severity: YamlProblem['severity'] = 'error') =>
    problems.push({ message, severity, ...position(src, locate(doc, path)) });

  if (src.docs.length === 0) {
    problems.push({ message: 'There are no manifests: write one VirtualMachine, and the Secrets and DataVolumes it uses.', line: 1, severity: 'error' });
  }

  const vms: number[] = [];
  // A manifest whose kind is unreadable may be the VirtualMachine: then "there is none" would mislead.
  let kindUnknown = false;
  const seen = new Map<string, number>();
  src.docs.forEach((doc, index) => {
    for (const e of doc.errors) problems.push({ message: e.message, severity: 'error', ...position(src, e.pos[0]) });
    for (const w of doc.warnings) problems.push({ message: w.message, severity: 'warning', ...position(src, w.pos[0]) });
    if (doc.errors.length) {
      kindUnknown = true;
      return;
    }

    if (index === MAX_MANIFESTS) add(doc, [], `At most ${MAX_MANIFESTS} manifests can be created at once.`);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      kindUnknown = true;
      add(doc, [], err instanceof Error ? err.message : String(err));
      return;
    }
    if (!isRecord(value)) {
      kindUnknown = true;
      add(doc, [], `Manifest ${index + 1} must be a mapping with apiVersion, kind and metadata.`);
      return;
    }
    objects.push(value);

    const { apiVersion, kind, metadata } = value;
    if (typeof apiVersion !== 'string' || !apiVersion) add(doc, ['apiVersion'], apiVersion === undefined ? 'apiVersion is required' : 'apiVersion must be a string');
    if (typeof kind !== 'string' || !kind) {
      kindUnknown = true;
      add(doc, ['kind'], kind === undefined ? 'kind is required' : 'kind must be a string');
    } else if (!Object.hasOwn(MANIFEST_KINDS, kind)) {
      add(doc, ['kind'], `kind ${kind} cannot be created here; the allowed kinds are ${Object.keys(MANIFEST_KINDS).join(', ')}`);
    } else if (typeof apiVersion === 'string' && apiVersion && apiVersion !== MANIFEST_KINDS[kind]) {
      add(doc, ['apiVersion'], `${kind} needs apiVersion ${MANIFEST_KINDS[kind]}, not ${apiVersion}`);
    }

    let name: string | undefined;
    if (!isRecord(metadata)) {
      add(doc, ['metadata'], metadata === undefined ? 'metadata is required, with a name' : 'metadata must be a mapping (key: value)');
    } else {
      if (typeof metadata.name !== 'string' || !metadata.name) {
        add(doc, ['metadata', 'name'], metadata.name === undefined ? 'metadata.name is required' : 'metadata.name must be a string');
      } else {
        name = metadata.name;
        const label = kind === 'VirtualMachine';
        if (label ? name.length > 63 || !DNS1123_LABEL.test(name) : name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
          add(
            doc,
            ['metadata', 'name'],
            label
              ? `metadata.name "${name}" must be at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit`
              : `metadata.name "${name}" must be at most 253 lower-case letters, digits, "-" and ".", starting and ending with a letter or digit`,
          );
        }
      }
      const ns = metadata.namespace;
      if (ns !== undefined && ns !== null) {
        if (typeof ns !== 'string') add(doc, ['metadata', 'namespace'], 'metadata.namespace must be a string');
        else if (options.namespace && ns !== options.namespace) {
          add(doc, ['metadata', 'namespace'], `metadata.namespace is "${ns}" but the chosen namespace is "${options.namespace}": change one of them or remove metadata.namespace`);
        }
      }
    }

    if (typeof kind === 'string' && name) {
      const key = `${kind}/${name}`;
      const first = seen.get(key);
      if (first !== undefined) add(doc, ['metadata', 'name'], `${kind} ${name} is already manifest ${first + 1}`);
      else seen.set(key, index);
    }

    if (kind === 'VirtualMachine') {
      vms.push(index);
      if (vms.length > 1) add(doc, ['kind'], 'Only one VirtualMachine can be created at once; this is a second one.');
      if (!validateVirtualMachine(value)) {
        for (const p of schemaProblems(validateVirtualMachine.errors ?? [], value)) add(doc, p.path, p.message, p.severity);
      }
    }
  });

  if (src.docs.length > 0 && vms.length === 0 && !kindUnknown) {
    problems.push({ message: 'There is no VirtualMachine: the manifests need exactly one.', line: 1, severity: 'error' });
  }

  problems.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
  return { objects, problems: dedupe(problems) };
}

function dedupe(problems: YamlProblem[]): YamlProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}:${p.severity}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The line a server problem's field points at: "manifests.<i>" is the i-th manifest (as parseManifests numbers them),
 * "manifests.<i>.<dotted.path>" a field in it, or its nearest existing parent. Undefined when the field is not about
 * the manifests or the manifest does not exist (the text changed since).
 */
export function lineOfField(text: string, field: string): number | undefined {
  const m = /^manifests\.(\d+)(?:\.(.+))?$/.exec(field.replace(/\[([^\]]*)\]/g, '.$1'));
  if (!m) return undefined;
  const src = parse(text);
  const doc = src.docs[Number(m[1])];
  if (!doc) return undefined;
  const path = m[2] ? m[2].split('.') : [];
  return position(src, locate(doc, path, true)).line;
}
