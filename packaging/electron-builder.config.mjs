/**
 * `npm run dist` (scripts/dist.mjs): installers built by electron-builder from electron-vite's `out/`.
 * Validated against electron-builder's own schema by packaging/packaging.test.ts.
 * @type {import('electron-builder').Configuration}
 */
const config = {
  appId: 'app.tokendesk.desktop',
  productName: 'TokenDesk',
  executableName: 'tokendesk',
  copyright: 'Copyright © TokenDesk contributors',
  directories: { output: 'dist', buildResources: 'packaging' },
  files: [
    'out/**',
    'package.json',
    '!**/*.map',
    // better-sqlite3's C sources and SQLite amalgamation: only its prebuilt binaries are loaded.
    '!node_modules/better-sqlite3/{src,deps,binding.gyp}/**',
  ],
  asar: true,
  // A native addon is loaded with dlopen, which cannot read inside an asar archive.
  asarUnpack: ['node_modules/better-sqlite3/prebuilds/**'],
  // better-sqlite3 13 is a Node-API addon whose prebuilt binaries load in Electron as they are: nothing to
  // rebuild for Electron's ABI, and no compiler needed on the packaging machine.
  npmRebuild: false,
  nodeGypRebuild: false,
  afterPack: './packaging/after-pack.mjs',
  icon: 'packaging/icon.png',
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Development',
    synopsis: 'Desktop console for Zoho CRM OAuth tokens',
  },
  deb: { depends: ['libsecret-1-0'] },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.developer-tools',
    hardenedRuntime: true,
  },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
  publish: null,
};

export default config;
