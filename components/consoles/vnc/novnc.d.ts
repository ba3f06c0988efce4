/// <reference types="novnc__novnc" />
// @novnc/novnc 1.7 ships ES modules under core/ (its package "exports" is ./core/rfb.js) and no types;
// @types/novnc__novnc describes the same RFB class under the package's old path, lib/rfb.
declare module '@novnc/novnc' {
  import RFB from '@novnc/novnc/lib/rfb';
  export default RFB;
}
