/**
 * A spinner always comes with words: "Refreshing…" says more than a wheel. `announce={false}` when a
 * LiveRegion nearby already says the same (a second live region would read every update twice).
 */
export function Spinner({
  label,
  inline = true,
  announce = true,
}: {
  label: string;
  inline?: boolean;
  announce?: boolean;
}) {
  return (
    <span className={inline ? 'spinner spinner--inline' : 'spinner'} role={announce ? 'status' : undefined}>
      <span className="spinner__wheel" aria-hidden="true" />
      <span>{label}</span>
    </span>
  );
}
