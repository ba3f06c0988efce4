// The running domains of all simulated nodes, by VMI. virt-api reaches a VM's consoles and agent through here,
// the way it dials virt-handler on the VMI's node.
import type { Domain } from './domain.ts';

const byVmi = new Map<string, Domain>();
const key = (namespace: string, name: string) => `${namespace}/${name}`;

export const domains = {
  set(namespace: string, name: string, d: Domain) {
    byVmi.set(key(namespace, name), d);
  },
  get(namespace: string, name: string): Domain | undefined {
    return byVmi.get(key(namespace, name));
  },
  delete(namespace: string, name: string, d: Domain) {
    if (byVmi.get(key(namespace, name)) === d) byVmi.delete(key(namespace, name));
  },
  all(): Domain[] {
    return [...byVmi.values()];
  },
};
