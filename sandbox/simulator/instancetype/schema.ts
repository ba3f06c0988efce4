// The OpenAPI check virt-api runs on a VirtualMachine body before expanding it (pkg/util/openapi Validator.Validate
// with go-openapi's messages): unknown fields are forbidden, required fields must be present, types must match.
// The schema is the VirtualMachine CRD's (generated from KubeVirt's swagger by sandbox/crds).
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { isObj, type Obj } from '../webhooks/util.ts';

const crdFile = new URL('../../manifests/crds/virtualmachines.kubevirt.io.yaml', import.meta.url);
let cached: Obj | undefined;

/** The v1 openAPIV3Schema of the VirtualMachine CRD (read once). */
export function virtualMachineSchema(): Obj {
  if (!cached) {
    const crd = YAML.parse(readFileSync(crdFile, 'utf8')) as Obj;
    const version = (crd.spec?.versions as Obj[] | undefined)?.find((v) => v.name === 'v1') ?? crd.spec?.versions?.[0];
    cached = (version?.schema?.openAPIV3Schema as Obj | undefined) ?? { type: 'object' };
  }
  return cached;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(schema: Obj, v: unknown): boolean {
  if (schema['x-kubernetes-int-or-string']) return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v));
  const t = schema.type;
  if (!t) return true;
  if (v === null) return schema.nullable === true;
  switch (t) {
    case 'object':
      return isObj(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    default:
      return true;
  }
}

function walk(schema: Obj, v: unknown, path: string, errs: string[]) {
  if (!typeMatches(schema, v)) {
    errs.push(`${path} in body must be of type ${schema['x-kubernetes-int-or-string'] ? 'integer,string' : schema.type}: "${typeName(v)}"`);
    return;
  }
  if (Array.isArray(v) && isObj(schema.items)) {
    v.forEach((item, i) => walk(schema.items, item, `${path}.${i}`, errs));
    return;
  }
  if (!isObj(v) || schema['x-kubernetes-preserve-unknown-fields']) return;
  const props: Obj | undefined = isObj(schema.properties) ? schema.properties : undefined;
  if (props) {
    for (const k of Object.keys(v)) if (!(k in props)) errs.push(`${path}.${k} in body is a forbidden property`);
  }
  for (const k of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
    if (!(k in v)) errs.push(`${path}.${k} in body is required`);
  }
  if (props) {
    for (const [k, sub] of Object.entries(props)) if (k in v && isObj(sub)) walk(sub, v[k], `${path}.${k}`, errs);
  } else if (isObj(schema.additionalProperties)) {
    for (const [k, sub] of Object.entries(v)) walk(schema.additionalProperties, sub, `${path}.${k}`, errs);
  }
}

/** go-openapi style errors for `value` (at `path`) against a structural schema. */
export function schemaErrors(schema: Obj, value: unknown, path: string): string[] {
  const errs: string[] = [];
  walk(schema, value, path, errs);
  return errs;
}

/** The validation errors for a VirtualMachine body, in go-openapi's wording; empty when valid. */
export function validateVirtualMachineSchema(obj: Obj | null, schema: Obj = virtualMachineSchema()): string[] {
  const errs: string[] = [];
  const top = new Set(['kind', 'apiVersion', 'spec', 'status', 'metadata']);
  const body: Obj = obj ?? {};
  for (const k of Object.keys(body)) if (!top.has(k)) errs.push(`.${k} in body is a forbidden property`);
  if (!('spec' in body)) errs.push('spec in body is required');
  const specSchema = schema.properties?.spec;
  if ('spec' in body && isObj(specSchema)) walk(specSchema, body.spec, 'spec', errs);
  return errs;
}
