import { expect, type Page } from '@playwright/test';

// Drives the create wizard the way a person does: one step at a time, with the step's own controls and Next.

export type Source = { kind: 'dataSource'; namespace: string; name: string } | { kind: 'containerDisk'; image: string } | { kind: 'http'; url: string } | { kind: 'pvc'; namespace: string; name: string };

export interface WizardInput {
  namespace?: string;
  name: string;
  source?: Source;
  instancetype?: string;
  custom?: { cpu: number; memory: string };
  rootSize?: string;
  sshKeys?: string[];
  user?: string;
  userData?: string;
  start?: boolean;
}

export async function stepHeading(page: Page): Promise<string> {
  return (await page.getByTestId('create-step-heading').textContent()) ?? '';
}

export async function next(page: Page): Promise<void> {
  const before = await stepHeading(page);
  await page.getByTestId('create-next').click();
  await expect(page.getByTestId('create-step-heading')).not.toHaveText(before);
}

export async function fillBasics(page: Page, w: WizardInput): Promise<void> {
  await expect(page.getByTestId('create-wizard')).toBeVisible();
  if (w.namespace) await page.getByTestId('create-namespace').selectOption(w.namespace);
  await page.getByTestId('create-name').fill(w.name);
}

export async function fillSource(page: Page, s: Source): Promise<void> {
  await page.getByTestId(`source-kind-${s.kind}`).click();
  if (s.kind === 'dataSource') await page.getByTestId(`datasource-${s.namespace}-${s.name}`).click();
  if (s.kind === 'pvc') await page.getByTestId(`pvc-${s.namespace}-${s.name}`).click();
  if (s.kind === 'containerDisk') await page.getByTestId('create-image').fill(s.image);
  if (s.kind === 'http') await page.getByTestId('create-url').fill(s.url);
}

export async function fillSize(page: Page, w: WizardInput): Promise<void> {
  if (w.custom) {
    await page.getByTestId('size-kind-custom').click();
    await page.getByTestId('create-cpu').fill(String(w.custom.cpu));
    await page.getByTestId('create-memory').fill(w.custom.memory);
  } else {
    await page.getByTestId('size-kind-instancetype').click();
    await page.getByTestId(`instancetype-${w.instancetype ?? 'u1.nano'}`).click();
  }
}

export async function fillCloudInit(page: Page, w: WizardInput): Promise<void> {
  if (w.sshKeys) await page.getByTestId('create-ssh-keys').fill(w.sshKeys.join('\n'));
  if (w.user) await page.getByTestId('create-user').fill(w.user);
  if (w.userData !== undefined) await page.getByTestId('create-user-data').fill(w.userData);
}

// From the first step to the review, with defaults for what the input leaves out.
export async function toReview(page: Page, w: WizardInput): Promise<void> {
  await fillBasics(page, w);
  await next(page);
  await fillSource(page, w.source ?? { kind: 'dataSource', namespace: 'kubevirt-os-images', name: 'tinylinux' });
  await next(page);
  await fillSize(page, w);
  await next(page);
  if (w.rootSize) await page.getByTestId('create-root-size').fill(w.rootSize);
  await next(page);
  await fillCloudInit(page, w);
  await next(page);
  await next(page); // networks: the pod network, as it comes
  if (w.start === false) await page.getByTestId('create-start').uncheck();
  await next(page);
  await expect(page.getByTestId('create-summary')).toBeVisible();
}
