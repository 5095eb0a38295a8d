/**
 * `npm run bench`: runs every benchmark module and prints its figures. Benchmarks print; nothing here
 * asserts a time. Pass names to run a subset: `npm run bench -- store zoho`.
 */
const MODULES: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  store: () => import('./store'),
  zoho: () => import('./zoho'),
  ipc: () => import('./ipc'),
  ui: () => import('./ui'),
  team: () => import('./team'),
  sources: () => import('./sources'),
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  for (const [name, load] of Object.entries(MODULES)) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    console.log(`\n=== ${name} ===`);
    const mod = await load();
    await mod.run();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
