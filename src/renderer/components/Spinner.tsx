/** A spinner always comes with words: "Refreshing…" says more than a wheel. */
export function Spinner({ label, inline = true }: { label: string; inline?: boolean }) {
  return (
    <span className={inline ? 'spinner spinner--inline' : 'spinner'} role="status">
      <span className="spinner__wheel" aria-hidden="true" />
      <span>{label}</span>
    </span>
  );
}
