import { z } from 'zod';
import { annotationKeyProblem, annotationsBytes, labelKeyProblem, labelValueProblem, MAX_ANNOTATIONS_BYTES } from '@/lib/kubevirt/metadata-keys';
import { MAX_VCPUS, memoryProblem, sameSize, type EditValues, type SizeValue } from '@/lib/kubevirt/edits';
import { encodeMessage } from '../create/wizard/problem-text';

// The Settings form's model: labels and annotations as rows (in the VM's order, editable while the user types a
// key), the size and the run strategy as they are. Its checks are Kubernetes' own key rules and the wizard's size
// bounds, shown at the field before anything is sent; messages are catalogue keys (parameters encoded after them).

export interface Row {
  key: string;
  value: string;
}

export interface EditForm {
  labels: Row[];
  annotations: Row[];
  size: SizeValue;
  runStrategy: string;
}

export type MetadataList = 'labels' | 'annotations';

const rowsOf = (map: Record<string, string>): Row[] => Object.entries(map).map(([key, value]) => ({ key, value }));

export function formOf(v: EditValues): EditForm {
  return { labels: rowsOf(v.labels), annotations: rowsOf(v.annotations), size: { ...v.size }, runStrategy: v.runStrategy };
}

// A row left empty (added, then not filled in) is no entry.
const entries = (rows: Row[]) => rows.filter((r) => r.key !== '' || r.value !== '');

export function valuesOf(f: EditForm): EditValues {
  return {
    labels: Object.fromEntries(entries(f.labels).map((r) => [r.key, r.value])),
    annotations: Object.fromEntries(entries(f.annotations).map((r) => [r.key, r.value])),
    size: f.size,
    runStrategy: f.runStrategy,
  };
}

const row = z.object({ key: z.string(), value: z.string() });

/**
 * The form's schema, given the values it started from (the size is checked only once the user changes it, so a VM
 * made outside the portal with 128 vCPUs keeps its labels editable) and KubeVirt's own annotations, which count
 * towards the annotations' size.
 */
export function editFormSchema(base: EditValues, keptAnnotations: Record<string, string>) {
  return z
    .object({
      labels: z.array(row),
      annotations: z.array(row),
      size: z.custom<SizeValue>((v) => typeof v === 'object' && v !== null && 'kind' in v),
      runStrategy: z.string(),
    })
    .superRefine((f, ctx) => {
      const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
      for (const which of ['labels', 'annotations'] as const) {
        const seen = new Set<string>();
        f[which].forEach((r, i) => {
          if (r.key === '' && r.value === '') return;
          const kp = which === 'labels' ? labelKeyProblem(r.key) : annotationKeyProblem(r.key);
          if (kp) issue([which, i, 'key'], kp);
          else if (seen.has(r.key)) issue([which, i, 'key'], 'edit.error.key.duplicate');
          seen.add(r.key);
          const vp = which === 'labels' ? labelValueProblem(r.value) : undefined;
          if (vp) issue([which, i, 'value'], vp);
        });
      }
      const annotations = Object.fromEntries(entries(f.annotations).map((r) => [r.key, r.value]));
      if (annotationsBytes(annotations) + annotationsBytes(keptAnnotations) > MAX_ANNOTATIONS_BYTES) issue(['annotations'], 'edit.error.annotations.tooLarge');

      const size = f.size;
      if (sameSize(base.size, size)) return;
      if (size.kind === 'instancetype') {
        if (!size.name) issue(['size', 'name'], 'edit.error.instancetype.required');
        return;
      }
      if (!Number.isInteger(size.cpu) || size.cpu < 1 || size.cpu > MAX_VCPUS) issue(['size', 'cpu'], 'edit.error.cpu.range');
      const memory = memoryProblem(size.memory);
      if (memory) issue(['size', 'memory'], encodeMessage(memory.key, memory.vars));
    });
}

/** The DOM id of a field: rows and their parts included (labels.2.key → edit-labels-2-key). */
export const fieldId = (path: string) => `edit-${path.replace(/\./g, '-')}`;
