import * as Checkbox from '@radix-ui/react-checkbox';

interface Props {
  readonly id: string;
  readonly label: string;
  readonly checked: boolean;
  readonly onCheckedChange: (checked: boolean) => void;
  readonly disabled?: boolean;
  readonly testId?: string;
  /** `check--field` lines it up with the inputs of a form grid. */
  readonly className?: string;
}

/** A Radix checkbox with its label beside it; "indeterminate" never happens here, so it reports a boolean. */
export function LabelledCheckbox({
  id,
  label,
  checked,
  onCheckedChange,
  disabled,
  testId,
  className,
}: Props) {
  return (
    <div className={className ? `check ${className}` : 'check'}>
      <Checkbox.Root
        id={id}
        className="checkbox"
        checked={checked}
        onCheckedChange={(v) => onCheckedChange(v === true)}
        disabled={disabled}
        data-testid={testId}
      >
        <Checkbox.Indicator className="checkbox__mark">✓</Checkbox.Indicator>
      </Checkbox.Root>
      <label htmlFor={id}>{label}</label>
    </div>
  );
}
