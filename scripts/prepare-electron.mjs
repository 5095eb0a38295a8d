// Placeholder: prepares Electron's binary and an Electron-ABI build of better-sqlite3 (see issue 2).
console.log('prepare-electron: nothing to do yet');
