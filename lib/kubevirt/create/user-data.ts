import { isMap, LineCounter, parseDocument, stringify, type Document, type Tags } from 'yaml';
import type { CloudInitInput } from './form';

// cloud-init's user-data and network-config as the wizard takes them: free text checked here, with lines the editor
// can mark, and the user-data the VM gets, composed from that text and the wizard's keys, user and password.

export interface DataProblem {
  message: string;
  line?: number;
}
export type DataCheck = { ok: true; value: Record<string, unknown> } | { ok: false; problems: DataProblem[] };

// User-data cloud-init does not read as YAML: a script, or another of its part types. It reaches the guest as
// written, so nothing can be merged into it.
const rawTypes = /^(#!|#include\b|#cloud-boothook\b|#part-handler\b|#upstart-job\b|#cloud-config-archive\b|Content-Type:\s*multipart\/)/i;
export const isRawUserData = (text: string) => rawTypes.test(text);

const cloudConfigHeader = '#cloud-config';
// A pasted document can hold many errors; the first few are what a user fixes first.
const maxProblems = 10;

// cloud-init reads user-data with PyYAML: YAML 1.1, so "yes", "off" or a leading-zero number mean what they meant
// there, in what a user wrote and in what the composition writes (a password "yes" must stay a string). PyYAML's
// booleans are yes/no/on/off/true/false in three casings, not the y/n the YAML 1.1 spec adds.
const pyYamlBool = { true: /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/, false: /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/ };
const pyYamlTags = (tags: Tags): Tags =>
  tags.map((t) => {
    if (typeof t !== 'object' || t.tag !== 'tag:yaml.org,2002:bool' || !('test' in t) || !t.test) return t;
    return { ...t, test: t.test.test('yes') ? pyYamlBool.true : pyYamlBool.false };
  });
const pyYaml = { version: '1.1', customTags: pyYamlTags } as const;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Parsed {
  doc: Document.Parsed;
  lineOf: (offset: number | undefined) => number | undefined;
}

// One YAML document that must be a mapping; problems are prefixed with the field ("userData.yaml").
function parseMapping(text: string, field: string): { parsed: Parsed; value: Record<string, unknown> } | { problems: DataProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...pyYaml, lineCounter, prettyErrors: true, uniqueKeys: true });
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  if (doc.errors.length) {
    return { problems: doc.errors.slice(0, maxProblems).map((e) => ({ message: `${field}.yaml`, line: e.linePos?.[0]?.line })) };
  }
  // Empty, or only comments (a bare "#cloud-config"): nothing to configure, which is fine.
  if (doc.contents === null) return { parsed: { doc, lineOf }, value: {} };
  if (!isMap(doc.contents)) return { problems: [{ message: `${field}.notMapping`, line: lineOf(doc.contents.range?.[0]) }] };
  try {
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    return { parsed: { doc, lineOf }, value: isObj(value) ? value : {} };
  } catch {
    // Too many aliases (a "billion laughs" document).
    return { problems: [{ message: `${field}.yaml`, line: 1 }] };
  }
}

const lineOfKey = (p: Parsed, path: string[]) => {
  const node = p.doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  return p.lineOf(node?.range?.[0]);
};

/**
 * Free user-data: a script or other raw part type (taken as is, value {}), or YAML whose top level is a mapping, as
 * #cloud-config is. The header is recommended, not required: the composed user-data always carries it.
 */
export function checkUserData(text: string): DataCheck {
  if (isRawUserData(text)) return { ok: true, value: {} };
  const r = parseMapping(text, 'userData');
  if ('problems' in r) return { ok: false, problems: r.problems };
  // The keys the composition merges into must have the shape cloud-init reads, or the merge would drop them.
  const problems: DataProblem[] = [];
  if (r.value.users !== undefined && !Array.isArray(r.value.users)) problems.push({ message: 'userData.usersNotList', line: lineOfKey(r.parsed, ['users']) });
  if (r.value.ssh_authorized_keys !== undefined && !Array.isArray(r.value.ssh_authorized_keys)) {
    problems.push({ message: 'userData.keysNotList', line: lineOfKey(r.parsed, ['ssh_authorized_keys']) });
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: r.value };
}

/** cloud-init network-config: a mapping with `version: 1` or `2`, at the top or under `network:`. */
export function checkNetworkData(text: string): DataCheck {
  const r = parseMapping(text, 'networkData');
  if ('problems' in r) return { ok: false, problems: r.problems };
  const nested = isObj(r.value.network) && r.value.version === undefined;
  const version = nested ? (r.value.network as Record<string, unknown>).version : r.value.version;
  if (version !== 1 && version !== 2) {
    const path = nested ? ['network', 'version'] : ['version'];
    return { ok: false, problems: [{ message: 'networkData.version', line: lineOfKey(r.parsed, path) ?? 1 }] };
  }
  return { ok: true, value: r.value };
}

const unique = (items: unknown[]) => [...new Set(items)];

/**
 * The user-data the VM gets: the free user-data's mapping with the wizard's SSH keys, user and password merged in,
 * under a #cloud-config header. Undefined when none of them was given. Raw user-data (a script) is passed on as it
 * is: nothing merges into it, and rules.ts refuses keys, a user or a password beside it; invalid YAML likewise
 * contributes nothing, and rules.ts refuses it.
 */
export function composeUserData(ci: CloudInitInput): string | undefined {
  const keys = unique(ci.sshKeys.map((k) => k.trim()).filter(Boolean)) as string[];
  const user = ci.user || undefined;
  const password = ci.password || undefined;
  const free = ci.userData?.trim() ? ci.userData : undefined;
  if (!keys.length && !user && !password && !free) return undefined;
  if (free && isRawUserData(free)) return free;
  // Only free text: kept as written (comments, order), with the header cloud-init needs to read it as cloud-config.
  if (free && !keys.length && !user && !password) return free.startsWith(cloudConfigHeader) ? free : `${cloudConfigHeader}\n${free}`;

  const checked = free ? checkUserData(free) : undefined;
  const data: Record<string, unknown> = checked?.ok ? { ...checked.value } : {};
  if (user) {
    // Listing users replaces the image's default user unless the list names "default"; the free data decides that.
    const users: unknown[] = Array.isArray(data.users) ? [...data.users] : [];
    const at = users.findIndex((u) => isObj(u) && u.name === user);
    const existing: Record<string, unknown> = at >= 0 ? (users[at] as Record<string, unknown>) : {};
    const existingKeys = Array.isArray(existing.ssh_authorized_keys) ? existing.ssh_authorized_keys : [];
    const allKeys = unique([...existingKeys, ...keys]);
    const entry = {
      ...existing,
      name: user,
      ...(allKeys.length ? { ssh_authorized_keys: allKeys } : {}),
      ...(password ? { plain_text_passwd: password } : {}),
      lock_passwd: false,
      shell: typeof existing.shell === 'string' ? existing.shell : '/bin/sh',
    };
    if (at >= 0) users[at] = entry;
    else users.push(entry);
    data.users = users;
  } else {
    // No user: the image's default user gets the keys and the password.
    if (keys.length) {
      const existingKeys = Array.isArray(data.ssh_authorized_keys) ? data.ssh_authorized_keys : [];
      data.ssh_authorized_keys = unique([...existingKeys, ...keys]);
    }
    if (password) {
      data.password = password;
      data.chpasswd = { ...(isObj(data.chpasswd) ? data.chpasswd : {}), expire: false };
    }
  }
  // lineWidth 0: a key folded over lines is still the same string to YAML, but not to a reader checking it.
  return `${cloudConfigHeader}\n${stringify(data, { ...pyYaml, lineWidth: 0 })}`;
}
