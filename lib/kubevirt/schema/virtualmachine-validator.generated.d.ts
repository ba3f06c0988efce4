// Types of the generated validator next to it (scripts/generate-vm-validator.ts writes the code, not this file).
import type { ErrorObject } from 'ajv';

export interface VirtualMachineValidator {
  (data: unknown): boolean;
  // Every problem of the last call (allErrors), null when it passed.
  errors?: ErrorObject[] | null;
}

export declare const validate: VirtualMachineValidator;
export default validate;
