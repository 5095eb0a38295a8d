import { join } from 'node:path';
import { flipFuses } from '@electron/fuses';
import { FUSES } from './fuses.mjs';

/** Where electron-builder put the Electron executable of the app being packed. */
export function packedElectronPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const product = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') {
    return join(appOutDir, `${product}.app`);
  }
  if (electronPlatformName === 'win32') return join(appOutDir, `${product}.exe`);
  return join(appOutDir, packager.executableName);
}

/**
 * electron-builder's afterPack hook: flips the fuses (fuses.mjs) in the packed binary before it is signed
 * and put into an installer. macOS: the binary's ad-hoc signature is reset so it still launches unsigned.
 */
export default async function afterPack(context) {
  const darwin = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas';
  await flipFuses(packedElectronPath(context), { ...FUSES, resetAdHocDarwinSignature: darwin });
}
