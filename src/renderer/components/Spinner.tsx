/**
 * A spinner always comes with words: "Refreshing…" says more than a wheel. `announce={false}` when a
 * LiveRegion nearby already says the same (a second live region would read every update twice).
 */
export function Spinner({ label, announce = true }: { label: string; announce?: boolean }) {
  return (
    <span className="spinner" role={announce ? 'status' : undefined}>
      <span className="spinner__wheel" aria-hidden="true" />
      <span>{label}</span>
    </span>
  );
}
