import type { CreateVmFormInput } from '@/lib/kubevirt/create/form';

// The wizard's steps, in order, and which top-level fields of the form model each one owns. A step validates only
// its own fields before Next; a problem the server names by a dotted path (networks.1.binding) is shown on the step
// that owns the path's first segment.

export const STEP_IDS = ['basics', 'source', 'size', 'storage', 'cloudInit', 'networks', 'run', 'review'] as const;
export type StepId = (typeof STEP_IDS)[number];

type TopField = keyof CreateVmFormInput;

export const STEP_FIELDS: Record<StepId, readonly TopField[]> = {
  basics: ['namespace', 'name'],
  source: ['bootSource'],
  size: ['size'],
  storage: ['rootDisk', 'extraDisks'],
  cloudInit: ['cloudInit'],
  networks: ['networks'],
  run: ['runStrategy', 'start'],
  // Labels have no step of their own (they come from "create like this"); their problems show on the review.
  review: ['labels'],
};

const FIELD_STEP = new Map<string, StepId>(STEP_IDS.flatMap((s) => STEP_FIELDS[s].map((f) => [f, s] as const)));

/** The path's segments: "networks.1.binding" and "networks[1].binding" are the same field. */
export function pathSegments(path: string): string[] {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((s) => s !== '');
}

/** The step that shows a field of the form model, or undefined when the path is not one (a YAML manifest, ""). */
export function stepOfField(path: string | undefined): StepId | undefined {
  if (!path) return undefined;
  return FIELD_STEP.get(pathSegments(path)[0] ?? '');
}

export const isFormPath = (path: string | undefined): path is string => stepOfField(path) !== undefined;

export const stepIndex = (id: StepId): number => STEP_IDS.indexOf(id);

/** The earliest step among the paths', or undefined when none names a field of the form. */
export function firstStepOf(paths: readonly (string | undefined)[]): StepId | undefined {
  let best: number | undefined;
  for (const p of paths) {
    const s = stepOfField(p);
    if (s !== undefined && (best === undefined || stepIndex(s) < best)) best = stepIndex(s);
  }
  return best === undefined ? undefined : STEP_IDS[best];
}

/** The steps to validate, in order, before showing `to` when the user is on `from` (none when going back). */
export function stepsToCheck(from: StepId, to: StepId): StepId[] {
  return STEP_IDS.slice(stepIndex(from), stepIndex(to)).filter((s) => s !== 'review');
}

/** A DOM id for a field's control, so an error summary can move focus to it. */
export const fieldId = (path: string): string => `create-${pathSegments(path).join('-')}`;
