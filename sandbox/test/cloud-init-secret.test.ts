// What a create wizard relies on: CDI's StorageProfiles say what each class serves, and a VM's cloud-init can live
// in a Secret (cloudInitNoCloud.secretRef / networkDataSecretRef) that virt-launcher reads from the VM's namespace.
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { serialShell } from './api.ts';
import { docExampleVm, eventually, getJson, kubectl, kubectlOk, uniqueName, waitForPrintableStatus } from './helpers.ts';

const ns = 'team-a';
const name = uniqueName('ci-secret');
const missing = uniqueName('ci-missing');
afterAll(async () => {
  await kubectl(['delete', 'vm', name, missing, '-n', ns, '--wait=false', '--ignore-not-found']);
  await kubectl(['delete', 'secret', `${name}-ci`, '-n', ns, '--ignore-not-found']);
});

function vmWithSecret(vm: string, secret: string) {
  const m = docExampleVm(vm, ns) as any;
  m.spec.template.spec.volumes = m.spec.template.spec.volumes.map((v: any) => (v.name === 'cloudinitdisk' ? { name: 'cloudinitdisk', cloudInitNoCloud: { secretRef: { name: secret } } } : v));
  return m;
}

describe('StorageProfiles', () => {
  it('has one per StorageClass, with the access and volume modes the class serves', async () => {
    const shared = await eventually('the shared class\'s profile', async () => (await getJson(['storageprofile', 'sandbox-shared']))?.status?.claimPropertySets && getJson(['storageprofile', 'sandbox-shared']));
    expect(shared.status).toMatchObject({ storageClass: 'sandbox-shared', provisioner: 'shared.csi.sandbox.kubevirt.io' });
    expect(shared.status.claimPropertySets[0]).toEqual({ accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem' });
    const local = await getJson(['storageprofile', 'sandbox-local']);
    expect(local.status.claimPropertySets.flatMap((s: any) => s.accessModes)).not.toContain('ReadWriteMany');
  });

  it('may be read by any signed-in user, as CDI\'s config-reader role allows', async () => {
    const r = await kubectl(['get', 'storageprofiles', '-o', 'name'], { as: 'viewer' });
    expect(r.stdout).toContain('storageprofile.cdi.kubevirt.io/sandbox-shared');
  });
});

describe('secret-backed cloud-init', () => {
  it('boots with the user-data of the Secret the VM names', async () => {
    const userData = '#cloud-config\nwrite_files:\n  - path: /etc/from-secret\n    content: "hello from a secret"\n';
    await kubectlOk(['create', 'secret', 'generic', `${name}-ci`, '-n', ns, `--from-literal=userdata=${userData}`]);
    await kubectlOk(['create', '-f', '-'], { input: YAML.stringify(vmWithSecret(name, `${name}-ci`)) });
    await waitForPrintableStatus(ns, name, 'Running', 90_000);
    const shell = await serialShell(ns, name);
    const out = await shell.run('cat /etc/from-secret; echo; echo E$((1+1))ND', /E2ND/);
    const host = await shell.run('echo HOST=$(hostname)=E$((1+1))ND', /=E2ND/);
    shell.close();
    expect(out).toContain('hello from a secret');
    // No hostname in the user-data: the guest takes its VMI's name, from cloud-init's meta-data.
    expect(host).toContain(`HOST=${name}=E2ND`);
  });

  it('keeps the launcher pod waiting for a missing Secret, saying so, and starts once it exists', async () => {
    await kubectlOk(['create', '-f', '-'], { input: YAML.stringify(vmWithSecret(missing, `${missing}-later`)) });
    const event = await eventually('a FailedMount event on the launcher pod', async () => {
      const events = await getJson(['events', '-n', ns, '--field-selector', 'reason=FailedMount']);
      return events?.items?.find((e: any) => e.involvedObject.name.startsWith(`virt-launcher-${missing}-`));
    }, 60_000);
    expect(event.message).toBe(`MountVolume.SetUp failed for volume "cloudinitdisk" : secret "${missing}-later" not found`);
    expect((await getJson(['vmi', missing, '-n', ns]))?.status?.phase).not.toBe('Running');
    await kubectlOk(['create', 'secret', 'generic', `${missing}-later`, '-n', ns, '--from-literal=userdata=#cloud-config\n']);
    await waitForPrintableStatus(ns, missing, 'Running', 90_000);
    await kubectl(['delete', 'secret', `${missing}-later`, '-n', ns]);
  });
});
