import { z } from 'zod';
import { createVmForm } from './form';
import { namespaceName } from '../../shared/names';

// The body of POST /api/vms/create: the wizard's form, or the manifests of create-from-YAML.

// One manifest of a create-from-YAML request: checked for shape by the server (kind, apiVersion, metadata.name)
// and by the API server's dry run for the rest.
const manifest = z.record(z.string(), z.unknown());

export const createRequest = z.discriminatedUnion('source', [
  z.object({ source: z.literal('form'), form: createVmForm, dryRun: z.boolean().default(false) }),
  z.object({ source: z.literal('yaml'), namespace: namespaceName, manifests: z.array(manifest).min(1).max(16), dryRun: z.boolean().default(false) }),
]);
export type CreateRequest = z.input<typeof createRequest>;

