import type { MessageKey, Translate } from '@/lib/i18n/locales';
import { pathSegments, stepOfField } from './steps';

// A field of the form named for people, for error summaries: "Interface 2: Binding", "Root disk: Size".

const SUB: Record<string, MessageKey> = {
  size: 'create.storage.size',
  storageClass: 'create.storage.class',
  accessMode: 'create.storage.accessMode',
  volumeMode: 'create.storage.volumeMode',
};

export function pathLabel(t: Translate, path: string): string {
  const [top, a, b] = pathSegments(path);
  const n = Number(a) + 1;
  switch (top) {
    case 'namespace':
      return t('create.basics.namespace');
    case 'name':
      return t('create.basics.name');
    case 'bootSource':
      return t('create.step.source');
    case 'size':
      return a === 'cpu' ? t('create.size.cpu') : a === 'memory' ? t('create.size.memory') : a === 'preference' ? t('create.size.preference') : t('create.step.size');
    case 'rootDisk':
      return a && SUB[a] ? `${t('create.storage.rootDisk')}: ${t(SUB[a])}` : t('create.storage.rootDisk');
    case 'extraDisks': {
      if (!Number.isInteger(n)) return t('create.storage.extraDisks');
      const disk = t('create.review.diskN', { n });
      return b === 'name' ? `${disk}: ${t('create.storage.diskName')}` : b && SUB[b] ? `${disk}: ${t(SUB[b])}` : disk;
    }
    case 'cloudInit':
      switch (a) {
        case 'sshKeys':
          return t('create.cloudInit.sshKeys');
        case 'user':
          return t('create.cloudInit.user');
        case 'password':
          return t('create.cloudInit.password');
        case 'userData':
          return t('create.cloudInit.userData');
        case 'networkData':
          return t('create.cloudInit.networkData');
        default:
          return t('create.step.cloudInit');
      }
    case 'networks': {
      if (!Number.isInteger(n)) return t('create.step.networks');
      const nic = t('create.review.interfaceN', { n });
      return b === 'name' ? `${nic}: ${t('create.networks.name')}` : b === 'binding' ? `${nic}: ${t('create.networks.binding')}` : b === 'source' ? `${nic}: ${t('create.networks.network')}` : nic;
    }
    case 'runStrategy':
      return t('create.run.strategy');
    case 'start':
      return t('create.run.start');
    case 'labels':
      return t('create.review.labels');
    default:
      return stepOfField(path) ? t(`create.step.${stepOfField(path)!}`) : t('create.review.wholeForm');
  }
}
