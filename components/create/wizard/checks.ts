import { checkUserData } from '@/lib/kubevirt/create/user-data';
import { parseSshPublicKey } from '@/lib/kubevirt/create/ssh-keys';
import type { CreateVmFormInput } from '@/lib/kubevirt/create/form';
import type { CreateOptions, CreateProblem } from '@/lib/shared/create-api';
import type { StepId } from './steps';

// What a step checks before Next beyond the form model's schema: a name already taken in the namespace, a
// namespace the user may not create in, SSH keys that are not keys, user-data that is not #cloud-config. Problems
// carry dotted paths into the form, like the server's.

export function stepProblems(step: StepId, v: CreateVmFormInput, options: CreateOptions | undefined): CreateProblem[] {
  const out: CreateProblem[] = [];
  switch (step) {
    case 'basics': {
      // Only answers about this namespace count: while another namespace's options are shown, say nothing.
      if (!options || options.namespace !== v.namespace) break;
      if (options.namespaces.length && !options.namespaces.includes(v.namespace)) out.push({ field: 'namespace', message: 'namespace.notAllowed' });
      if (v.name && options.vmNames.includes(v.name)) out.push({ field: 'name', message: 'name.taken' });
      break;
    }
    case 'cloudInit': {
      (v.cloudInit?.sshKeys ?? []).forEach((key, i) => {
        const r = parseSshPublicKey(key);
        if (!r.ok) out.push({ field: `cloudInit.sshKeys.${i}`, message: r.reason });
      });
      const ud = v.cloudInit?.userData;
      if (ud?.trim()) {
        const r = checkUserData(ud);
        if (!r.ok) {
          const first = r.problems[0];
          out.push({ field: 'cloudInit.userData', message: first?.message ?? 'userData.invalid', ...(first?.line !== undefined ? { line: first.line } : {}) });
        }
      }
      break;
    }
    default:
      break;
  }
  return out;
}

/** The name is taken in the namespace the options describe. */
export function nameTaken(name: string | undefined, namespace: string | undefined, options: CreateOptions | undefined): boolean {
  return Boolean(name && options && options.namespace === namespace && options.vmNames.includes(name));
}

/** The problems of a refused create: the route's details.problems, each checked for shape (it is the network's). */
export function problemsOf(details: unknown): (CreateProblem & { params?: Record<string, string | number> })[] {
  const list = details && typeof details === 'object' ? (details as { problems?: unknown }).problems : undefined;
  if (!Array.isArray(list)) return [];
  return list.flatMap((p) => {
    if (!p || typeof p !== 'object' || typeof (p as CreateProblem).message !== 'string') return [];
    const { field, message, line, params } = p as { field?: unknown; message: string; line?: unknown; params?: unknown };
    const okParams =
      params && typeof params === 'object' && !Array.isArray(params)
        ? (Object.fromEntries(Object.entries(params).filter(([, x]) => typeof x === 'string' || typeof x === 'number')) as Record<string, string | number>)
        : undefined;
    return [
      {
        message,
        ...(typeof field === 'string' && field ? { field } : {}),
        ...(typeof line === 'number' && Number.isFinite(line) ? { line } : {}),
        ...(okParams && Object.keys(okParams).length ? { params: okParams } : {}),
      },
    ];
  });
}
