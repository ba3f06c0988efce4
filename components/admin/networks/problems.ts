import { decodeMessage, encodeMessage } from '../../create/wizard/problem-text';
import type { MessageKey, Translate } from '@/lib/i18n/locales';
import type { NadProblem, NadProblemKey } from '@/lib/admin/nad';

// A NAD problem (lib/admin/nad.ts) in the user's language. The form keeps one message string per field, so the
// key travels with its parameters, encoded the way the create wizard encodes its own.

const KEYS: Record<NadProblemKey, MessageKey> = {
  'namespace.invalid': 'admin.networks.problem.namespaceInvalid',
  'name.required': 'admin.networks.problem.nameRequired',
  'name.invalid': 'admin.networks.problem.nameInvalid',
  'name.taken': 'admin.networks.problem.nameTaken',
  'kind.invalid': 'admin.networks.problem.kindInvalid',
  'bridge.required': 'admin.networks.problem.bridgeRequired',
  'bridge.invalid': 'admin.networks.problem.bridgeInvalid',
  'resourceName.required': 'admin.networks.problem.resourceRequired',
  'resourceName.invalid': 'admin.networks.problem.resourceInvalid',
  'vlan.range': 'admin.networks.problem.vlanRange',
  'ipam.invalid': 'admin.networks.problem.ipamInvalid',
  'subnet.required': 'admin.networks.problem.subnetRequired',
  'subnet.invalid': 'admin.networks.problem.subnetInvalid',
  'subnet.notNetwork': 'admin.networks.problem.subnetNotNetwork',
  'subnet.tooSmall': 'admin.networks.problem.subnetTooSmall',
  'address.invalid': 'admin.networks.problem.addressInvalid',
  'range.outsideSubnet': 'admin.networks.problem.rangeOutside',
  'range.order': 'admin.networks.problem.rangeOrder',
  'gateway.outsideSubnet': 'admin.networks.problem.gatewayOutside',
  'range.overlap': 'admin.networks.problem.overlap',
};

export const encodeProblem = (p: NadProblem) => encodeMessage(p.key, p.params);

export function problemText(t: Translate, message: string | undefined): string {
  if (!message) return '';
  const { message: key, params } = decodeMessage(message);
  const k = KEYS[key as NadProblemKey];
  return k ? t(k, params) : t('admin.networks.problem.generic');
}

/** Problems a refusal carried (details.problems), when they are ones this form knows. */
export function problemsOfDetails(details: Record<string, unknown> | undefined): NadProblem[] {
  const list = Array.isArray(details?.problems) ? (details.problems as unknown[]) : [];
  return list.filter((p): p is NadProblem => {
    const x = p as Partial<NadProblem>;
    return typeof x?.field === 'string' && typeof x.key === 'string' && x.key in KEYS;
  });
}
