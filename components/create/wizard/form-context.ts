'use client';
import { useFormContext, type FieldPath } from 'react-hook-form';
import type { CreateVmForm, CreateVmFormInput } from '@/lib/kubevirt/create/form';

// The wizard's one react-hook-form, over the whole form model: every step reads and writes it through this.
export const useCreateForm = () => useFormContext<CreateVmFormInput, unknown, CreateVmForm>();
export type CreatePath = FieldPath<CreateVmFormInput>;

// An empty input or select is "not set" (the cluster's default), never an empty string the model would refuse.
export const emptyIsUnset = { setValueAs: (v: unknown) => (v === '' ? undefined : v) };
