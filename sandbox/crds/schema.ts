// Structural OpenAPI v3 schemas for CustomResourceDefinitions, and the conversion of Swagger 2.0 definitions into them.
//
// Kubernetes only accepts "structural" schemas in apiextensions.k8s.io/v1 CRDs: every node has a `type` (or is
// int-or-string / preserve-unknown-fields), there are no `$ref`s, and `properties` and `additionalProperties` are
// never used together. The API server prunes every field a structural schema does not name, so the conversion keeps
// the full shape of spec and status and only opens the embedded ObjectMeta of templates, as KubeVirt's own CRDs do.

/** The subset of apiextensions.k8s.io/v1 JSONSchemaProps the generated CRDs use. */
export interface JSONSchema {
  description?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  pattern?: string;
  minimum?: number;
  maxLength?: number;
  anyOf?: JSONSchema[];
  items?: JSONSchema;
  properties?: Record<string, JSONSchema>;
  additionalProperties?: JSONSchema;
  required?: string[];
  'x-kubernetes-int-or-string'?: true;
  'x-kubernetes-preserve-unknown-fields'?: true;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-validations'?: { rule: string; message: string }[];
}

/** A Swagger 2.0 schema object as found under `definitions` (only the keys this converter reads are typed). */
export interface SwaggerSchema {
  $ref?: string;
  description?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  items?: SwaggerSchema;
  properties?: Record<string, SwaggerSchema>;
  additionalProperties?: SwaggerSchema | boolean;
  required?: string[];
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
  [other: string]: unknown;
}

export interface SwaggerDocument {
  definitions: Record<string, SwaggerSchema>;
}

/** How a well-known Kubernetes type is represented; `description` is the description of the field that uses it. */
export type SpecialType = (description: string | undefined) => JSONSchema;

/** Kubernetes' own regular expression for resource.Quantity strings (as in the CRDs controller-gen writes). */
export const QUANTITY_PATTERN =
  '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

const withDescription = (description: string | undefined, schema: JSONSchema): JSONSchema =>
  description ? { description, ...schema } : schema;

/** The building blocks for types that have no structural Swagger form. */
export const special = {
  /** ObjectMeta inside a template: the API server does not validate it, so keep whatever the client sends. */
  embeddedObjectMeta: ((d) =>
    withDescription(d, { type: 'object', 'x-kubernetes-preserve-unknown-fields': true })) as SpecialType,
  quantity: ((d) =>
    withDescription(d, {
      anyOf: [{ type: 'integer' }, { type: 'string' }],
      pattern: QUANTITY_PATTERN,
      'x-kubernetes-int-or-string': true,
    })) as SpecialType,
  intOrString: ((d) =>
    withDescription(d, { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true })) as SpecialType,
  time: ((d) => withDescription(d, { type: 'string', format: 'date-time' })) as SpecialType,
  duration: ((d) => withDescription(d, { type: 'string' })) as SpecialType,
  /** runtime.RawExtension and FieldsV1: arbitrary JSON objects. */
  freeFormObject: ((d) =>
    withDescription(d, { type: 'object', 'x-kubernetes-preserve-unknown-fields': true })) as SpecialType,
};

/** Formats kept per type (anything else, like Swagger's "int-or-string" or "byte" on a Go uint8, is dropped). */
const FORMATS: Record<string, Set<string>> = {
  integer: new Set(['int32', 'int64']),
  number: new Set(['float', 'double']),
  string: new Set(['byte', 'date-time', 'date', 'duration', 'uuid', 'uri', 'email', 'hostname', 'ipv4', 'ipv6', 'cidr', 'mac', 'password', 'binary']),
};

const SCALAR_TYPES = new Set(['string', 'integer', 'number', 'boolean']);

export interface ConverterOptions {
  /** Where the definitions come from, for error messages. */
  source: string;
  /** Definitions with a fixed representation, by definition name. */
  specials: Record<string, SpecialType>;
  /** Name of the ObjectMeta definition: `{type: object}` at the root, preserved when nested. */
  objectMeta: string;
  /** Swagger defaults to keep, by definition name and property (all other Swagger defaults are dropped). */
  keepDefaults?: Record<string, string[]>;
}

/** Converts Swagger 2.0 definitions of one document into structural schemas. */
export class SwaggerConverter {
  constructor(
    private readonly doc: SwaggerDocument,
    private readonly opts: ConverterOptions,
  ) {}

  definition(name: string): SwaggerSchema {
    const def = this.doc.definitions[name];
    if (!def) throw new Error(`${this.opts.source}: no definition ${JSON.stringify(name)}`);
    return def;
  }

  /** The schema of a top-level kind: its own `metadata` is `{type: object}`, the API server validates it itself. */
  root(name: string): JSONSchema {
    const def = this.definition(name);
    const props = def.properties ?? {};
    if (!props.metadata || !props.apiVersion || !props.kind) throw new Error(`${this.opts.source}: ${name} is not a kind`);
    const schema = this.convertObject(def, [name], name);
    schema.properties!.metadata = { type: 'object' };
    return schema;
  }

  private refName(ref: string): string {
    const prefix = '#/definitions/';
    if (!ref.startsWith(prefix)) throw new Error(`${this.opts.source}: unsupported $ref ${ref}`);
    return ref.slice(prefix.length);
  }

  /** Converts a schema node. `stack` holds the definitions being expanded (to break cycles). */
  private convert(node: SwaggerSchema, stack: string[], where: string): JSONSchema {
    if (node.$ref !== undefined) {
      const name = this.refName(node.$ref);
      const specialType = name === this.opts.objectMeta ? special.embeddedObjectMeta : this.opts.specials[name];
      if (specialType) return specialType(node.description);
      if (stack.includes(name)) {
        // A recursive type: stop here and accept anything below.
        return withDescription(node.description, { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
      }
      const def = this.definition(name);
      const converted = this.convertObject(def, [...stack, name], name);
      // The field's own comment is more specific than its type's comment.
      if (node.description) converted.description = node.description;
      return order(converted);
    }
    return order(this.convertObject(node, stack, where));
  }

  private convertObject(node: SwaggerSchema, stack: string[], where: string): JSONSchema {
    const rawType = node.type as unknown;
    if (Array.isArray(rawType)) {
      // Swagger type unions: ["string","null"] is a nullable metav1.Time (condition timestamps); ["string","number"]
      // is an IntOrString written inline (probe ports).
      const types = new Set(rawType as string[]);
      const nullable = types.delete('null');
      if (types.size === 1 && types.has('string')) {
        return {
          ...(node.description ? { description: node.description } : {}),
          type: 'string',
          format: node.format ?? 'date-time',
          ...(nullable ? { nullable: true } : {}),
        };
      }
      if (types.has('string') && (types.has('integer') || types.has('number')) && !nullable) {
        return special.intOrString(node.description);
      }
      throw new Error(`${this.opts.source}: ${where}: unsupported type ${JSON.stringify(rawType)}`);
    }
    const out: JSONSchema = {};
    if (node.description) out.description = node.description;
    let type = node.type;
    if (type === undefined && (node.properties || node.additionalProperties)) type = 'object';
    if (type !== undefined) {
      if (!['object', 'array', 'string', 'integer', 'number', 'boolean'].includes(type)) {
        throw new Error(`${this.opts.source}: ${where}: unsupported type ${type}`);
      }
      out.type = type as JSONSchema['type'];
    }
    if (node.format && type && FORMATS[type]?.has(node.format)) out.format = node.format;
    if (node.enum) out.enum = [...node.enum];
    if (node.nullable === true) out.nullable = true;

    if (type === 'array') {
      if (!node.items) throw new Error(`${this.opts.source}: ${where}: array without items`);
      out.items = this.convert(node.items, stack, `${where}[]`);
    }
    if (node.properties && Object.keys(node.properties).length > 0) {
      if (node.additionalProperties !== undefined && node.additionalProperties !== false) {
        throw new Error(`${this.opts.source}: ${where}: both properties and additionalProperties`);
      }
      const keep = new Set(this.opts.keepDefaults?.[where] ?? []);
      out.properties = {};
      for (const key of Object.keys(node.properties).sort()) {
        const prop = node.properties[key]!;
        const converted = this.convert(prop, stack, `${where}.${key}`);
        if (keep.has(key) && prop.default !== undefined) {
          converted.default = prop.default;
          out.properties[key] = order(converted);
        } else {
          out.properties[key] = converted;
        }
      }
      if (node.required?.length) out.required = node.required.filter((r) => r in node.properties!);
    } else if (node.additionalProperties !== undefined && node.additionalProperties !== false) {
      if (node.additionalProperties === true) {
        out['x-kubernetes-preserve-unknown-fields'] = true;
      } else {
        out.additionalProperties = this.convert(node.additionalProperties, stack, `${where}{}`);
      }
    }
    if (type === undefined) {
      // No type at all in Swagger means "any JSON value".
      out.type = 'object';
      out['x-kubernetes-preserve-unknown-fields'] = true;
    }

    const listType = node['x-kubernetes-list-type'];
    if (type === 'array' && (listType === 'atomic' || listType === 'set' || listType === 'map')) {
      applyListType(out, listType, node['x-kubernetes-list-map-keys'] ?? []);
    }
    const mapType = node['x-kubernetes-map-type'];
    if (out.type === 'object' && (mapType === 'atomic' || mapType === 'granular')) out['x-kubernetes-map-type'] = mapType;
    return out;
  }
}

/** Sets x-kubernetes-list-type only where the API server accepts it; otherwise the list stays atomic (the default). */
function applyListType(out: JSONSchema, listType: 'atomic' | 'set' | 'map', keys: string[]) {
  const items = out.items!;
  if (listType === 'atomic') {
    out['x-kubernetes-list-type'] = 'atomic';
    return;
  }
  if (items.nullable) return;
  if (listType === 'set') {
    const ok =
      (items.type !== undefined && SCALAR_TYPES.has(items.type)) ||
      (items.type === 'object' && items['x-kubernetes-map-type'] === 'atomic') ||
      (items.type === 'array' && (items['x-kubernetes-list-type'] ?? 'atomic') === 'atomic');
    if (ok) out['x-kubernetes-list-type'] = 'set';
    return;
  }
  // map: the keys must be required (or defaulted), non-nullable scalar properties of object items.
  if (items.type !== 'object' || keys.length === 0) return;
  const required = new Set(items.required ?? []);
  const ok = keys.every((k) => {
    const p = items.properties?.[k];
    return p && p.type && SCALAR_TYPES.has(p.type) && !p.nullable && (required.has(k) || p.default !== undefined);
  });
  if (!ok) return;
  out['x-kubernetes-list-type'] = 'map';
  out['x-kubernetes-list-map-keys'] = [...keys];
}

const KEY_ORDER: (keyof JSONSchema)[] = [
  'description',
  'type',
  'format',
  'enum',
  'default',
  'nullable',
  'pattern',
  'minimum',
  'maxLength',
  'anyOf',
  'items',
  'properties',
  'additionalProperties',
  'required',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
];

/** Returns the node with its keys in a fixed order, so the YAML is stable and readable. */
export function order(schema: JSONSchema): JSONSchema {
  const out: Record<string, unknown> = {};
  for (const k of KEY_ORDER) if (schema[k] !== undefined) out[k] = schema[k];
  for (const k of Object.keys(schema)) if (!(k in out)) throw new Error(`unexpected schema key ${k}`);
  return out as JSONSchema;
}

/** Deep copy with keys in canonical order at every level (used for hand-written schemas too). */
export function normalize(schema: JSONSchema): JSONSchema {
  const copy: JSONSchema = { ...schema };
  if (copy.items) copy.items = normalize(copy.items);
  if (copy.additionalProperties) copy.additionalProperties = normalize(copy.additionalProperties);
  if (copy.anyOf) copy.anyOf = copy.anyOf.map(normalize);
  if (copy.properties) {
    const props: Record<string, JSONSchema> = {};
    for (const k of Object.keys(copy.properties).sort()) props[k] = normalize(copy.properties[k]!);
    copy.properties = props;
  }
  return order(copy);
}

/** Visits every schema node with its path (`.a.b[].c{}`) and depth (number of property/item levels). */
export function walk(schema: JSONSchema, visit: (node: JSONSchema, path: string, depth: number) => void, path = '', depth = 0) {
  visit(schema, path, depth);
  if (schema.properties) for (const [k, v] of Object.entries(schema.properties)) walk(v, visit, `${path}.${k}`, depth + 1);
  if (schema.items) walk(schema.items, visit, `${path}[]`, depth + 1);
  if (schema.additionalProperties) walk(schema.additionalProperties, visit, `${path}{}`, depth + 1);
  if (schema.anyOf) schema.anyOf.forEach((s, i) => walk(s, visit, `${path}|anyOf${i}`, depth));
}

/** A copy without descriptions on nodes deeper than `maxDepth`. */
export function stripDescriptions(schema: JSONSchema, maxDepth: number, depth = 0): JSONSchema {
  const copy: JSONSchema = { ...schema };
  if (depth > maxDepth) delete copy.description;
  if (copy.items) copy.items = stripDescriptions(copy.items, maxDepth, depth + 1);
  if (copy.additionalProperties) copy.additionalProperties = stripDescriptions(copy.additionalProperties, maxDepth, depth + 1);
  if (copy.properties) {
    const props: Record<string, JSONSchema> = {};
    for (const [k, v] of Object.entries(copy.properties)) props[k] = stripDescriptions(v, maxDepth, depth + 1);
    copy.properties = props;
  }
  return copy;
}

/** Returns the node at a dotted property path (`status.printableStatus`), or throws. */
export function at(schema: JSONSchema, path: string): JSONSchema {
  let node = schema;
  for (const part of path.split('.')) {
    const next = part === '[]' ? node.items : node.properties?.[part];
    if (!next) throw new Error(`schema has no ${path}`);
    node = next;
  }
  return node;
}
