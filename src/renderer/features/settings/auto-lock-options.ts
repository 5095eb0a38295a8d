/** The auto-lock choices offered in Settings (seconds as strings, for the Select); 0 = never. */
const CHOICES: ReadonlyArray<{ seconds: number; label: string }> = [
  { seconds: 60, label: 'After 1 minute' },
  { seconds: 5 * 60, label: 'After 5 minutes' },
  { seconds: 15 * 60, label: 'After 15 minutes' },
  { seconds: 30 * 60, label: 'After 30 minutes' },
  { seconds: 60 * 60, label: 'After 1 hour' },
  { seconds: 4 * 60 * 60, label: 'After 4 hours' },
  { seconds: 0, label: 'Never' },
];

/** The choices, plus the current value when it is none of them (set another way), so it is shown as it is. */
export function autoLockOptions(current: number): ReadonlyArray<{ value: string; label: string }> {
  const options = CHOICES.map((c) => ({ value: String(c.seconds), label: c.label }));
  if (CHOICES.some((c) => c.seconds === current)) return options;
  const label = current % 60 === 0 ? `After ${current / 60} minutes` : `After ${current} seconds`;
  return [{ value: String(current), label }, ...options];
}
