import { FuseV1Options, FuseVersion } from '@electron/fuses';

/**
 * Electron fuses for the packaged app: switches compiled into the Electron binary that no command-line
 * flag or environment variable can turn back on. The store's data key is unwrapped in this process, so
 * nothing may run code inside it but the app's own signed archive.
 * https://www.electronjs.org/docs/latest/tutorial/fuses
 */
export const FUSES = {
  version: FuseVersion.V1,
  // An Electron newer than @electron/fuses may add fuses; they keep Electron's default until this list names
  // them, instead of failing the build.
  strictlyRequireAllFuses: false,
  // ELECTRON_RUN_AS_NODE would turn the app binary into a plain Node that can call safeStorage as the app.
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS (--require a script) and --inspect would let a local process inject code or attach a debugger.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // Load the app only from app.asar, and only if its hash matches the one embedded at build time.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // Kept on: the renderer is loaded from file:// as an ES module bundle, which a plain browser's file://
  // rules would refuse.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: true,
};
