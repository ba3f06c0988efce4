import { describe, expect, it } from 'vitest';
import { pathLabel } from './labels';
import { catalogues, translator } from '@/lib/i18n/locales';

describe('field labels for error summaries', () => {
  const en = translator(catalogues.en);
  const zh = translator(catalogues['zh-CN']);
  it('name fields, rows and their parts', () => {
    expect(pathLabel(en, 'name')).toBe('Name');
    expect(pathLabel(en, 'rootDisk.size')).toBe('Root disk: Size');
    expect(pathLabel(en, 'extraDisks.1.storageClass')).toBe('Disk 2: Storage class');
    expect(pathLabel(en, 'networks.0.binding')).toBe('Interface 1: Binding');
    expect(pathLabel(en, 'networks')).toBe('Networks');
    expect(pathLabel(en, 'cloudInit.sshKeys.3')).toBe('SSH public keys');
    expect(pathLabel(en, 'bootSource.url')).toBe('Boot source');
    expect(pathLabel(en, 'size.cpu')).toBe('vCPUs');
    expect(pathLabel(en, '')).toBe('The whole form');
    expect(pathLabel(zh, 'networks.0.binding')).toBe('接口 1: 绑定方式');
  });
  it('never answer with a raw key', () => {
    const paths = ['namespace', 'name', 'bootSource', 'size', 'size.memory', 'size.preference', 'rootDisk', 'rootDisk.accessMode', 'rootDisk.volumeMode', 'extraDisks', 'extraDisks.0', 'extraDisks.0.name', 'extraDisks.0.size', 'cloudInit', 'cloudInit.user', 'cloudInit.password', 'cloudInit.userData', 'cloudInit.networkData', 'networks.2', 'networks.2.name', 'networks.2.source', 'runStrategy', 'start', 'labels.app', 'manifests.0', 'x'];
    for (const p of paths) for (const t of [en, zh]) expect(pathLabel(t, p), p).not.toMatch(/create\./);
  });
});
