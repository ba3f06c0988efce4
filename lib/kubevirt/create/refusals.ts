import type { CreateProblem } from '../../shared/create-api';

// Where an API server refusal belongs in the form the user filled: the refusal names a field of the object it refused
// (spec.template.spec.domain.devices.interfaces[1].masquerade); the form knows it as networks.1.binding. What cannot
// be placed stays a form-level message, in the API server's own words (already scrubbed by lib/k8s/errors.ts).

export interface Refusal {
  // The refused manifest's position: 0 is the VM, then its dependents in the order they were sent.
  index: number;
  kind: string;
  status: number;
  code: string;
  message: string;
  causes: { field?: string; message?: string; reason?: string }[];
}

// "a.b[2].c" → "a.b.2.c"
export function dottedPath(field: string): string {
  return field.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');
}

const FORM_FIELDS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^metadata\.name$/, () => 'name'],
  [/^spec\.template\.spec\.domain\.devices\.interfaces\.(\d+)\.name$/, (m) => `networks.${m[1]}.name`],
  [/^spec\.template\.spec\.domain\.devices\.interfaces\.(\d+)/, (m) => `networks.${m[1]}.binding`],
  [/^spec\.template\.spec\.networks\.(\d+)\.name$/, (m) => `networks.${m[1]}.name`],
  [/^spec\.template\.spec\.networks\.(\d+)/, (m) => `networks.${m[1]}.source`],
  [/^spec\.(instancetype|preference)/, (m) => `size.${m[1]}`],
  [/^spec\.template\.spec\.domain\.(cpu|resources\.requests\.cpu)/, () => 'size.cpu'],
  [/^spec\.template\.spec\.domain\.(memory|resources\.requests\.memory)/, () => 'size.memory'],
  [/^spec\.dataVolumeTemplates\.0\.spec\.(storage|pvc)\.storageClassName/, () => 'rootDisk.storageClass'],
  [/^spec\.dataVolumeTemplates\.0\.spec\.(storage|pvc)\.accessModes/, () => 'rootDisk.accessMode'],
  [/^spec\.dataVolumeTemplates\.0\.spec\.(storage|pvc)\.volumeMode/, () => 'rootDisk.volumeMode'],
  [/^spec\.dataVolumeTemplates\.0\.spec\.(storage|pvc)/, () => 'rootDisk.size'],
  [/^spec\.dataVolumeTemplates\.0\.spec\.source/, () => 'bootSource'],
  [/^spec\.runStrategy/, () => 'runStrategy'],
];

export function formFieldOf(vmField: string): string | undefined {
  const path = dottedPath(vmField);
  for (const [re, to] of FORM_FIELDS) {
    const m = re.exec(path);
    if (m) return to(m);
  }
  return undefined;
}

// The wizard's refusals, placed on its fields where the API server named one.
export function formProblemsOf(r: Refusal): CreateProblem[] {
  if (r.kind === 'VirtualMachine' && r.status === 409 && r.code === 'conflict' && !r.causes.length) {
    return [{ field: 'name', message: 'name.taken' }];
  }
  if (r.code === 'quota_exceeded') return [{ field: 'quota', message: r.message }];
  if (r.kind !== 'VirtualMachine' || !r.causes.length) return [{ message: r.message }];
  return r.causes.map((c) => {
    const field = c.field ? formFieldOf(c.field) : undefined;
    const message = c.message ?? r.message;
    return field ? { field, message } : { message: c.field ? `${c.field}: ${message}` : message };
  });
}

// Create-from-YAML's refusals, placed on the manifest and, where named, the field inside it.
export function yamlProblemsOf(r: Refusal): CreateProblem[] {
  if (!r.causes.length) return [{ field: `manifests.${r.index}`, message: r.message }];
  return r.causes.map((c) => ({
    field: c.field ? `manifests.${r.index}.${dottedPath(c.field)}` : `manifests.${r.index}`,
    message: c.message ?? r.message,
  }));
}
