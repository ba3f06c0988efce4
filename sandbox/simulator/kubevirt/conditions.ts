// The condition manager's lookups over a VM's or VMI's status.conditions.
interface Condition {
  type: string;
  status?: string;
}
type WithConditions = { status?: { conditions?: Condition[] } };

export function condition<T extends { type: string }>(conds: T[] | undefined, type: string): T | undefined {
  return conds?.find((c) => c.type === type);
}

/** HasCondition: present, whatever its status. */
export const hasCondition = (obj: WithConditions, type: string) => !!condition(obj.status?.conditions, type);
/** HasConditionWithStatus(…, True). */
export const hasTrueCondition = (obj: WithConditions, type: string) =>
  !!obj.status?.conditions?.some((c) => c.type === type && c.status === 'True');
