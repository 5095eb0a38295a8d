import * as Label from '@radix-ui/react-label';
import * as RadixSelect from '@radix-ui/react-select';
import { useId } from 'react';

export interface SelectOption<V extends string> {
  readonly value: V;
  readonly label: string;
}

interface SelectProps<V extends string> {
  readonly label: string;
  readonly value: V;
  readonly options: ReadonlyArray<SelectOption<V>>;
  readonly onChange: (value: V) => void;
  readonly testId?: string;
  /** Keep the label for screen readers only (toolbar filters). */
  readonly hideLabel?: boolean;
  readonly disabled?: boolean;
}

/** A labelled Radix Select (keyboard, typeahead and screen reader support come from Radix). */
export function Select<V extends string>({
  label,
  value,
  options,
  onChange,
  testId,
  hideLabel,
  disabled,
}: SelectProps<V>) {
  const id = useId();
  return (
    <div className={hideLabel ? 'field field--inline' : 'field'}>
      <Label.Root htmlFor={id} className={hideLabel ? 'sr-only' : 'field__label'}>
        {label}
      </Label.Root>
      <RadixSelect.Root value={value} onValueChange={(v) => onChange(v as V)} disabled={disabled ?? false}>
        <RadixSelect.Trigger id={id} className="select" aria-label={label} data-testid={testId}>
          <RadixSelect.Value />
          <RadixSelect.Icon className="select__icon" aria-hidden="true">
            ▾
          </RadixSelect.Icon>
        </RadixSelect.Trigger>
        <RadixSelect.Portal>
          <RadixSelect.Content className="select__content" position="popper" sideOffset={4}>
            <RadixSelect.Viewport className="select__viewport">
              {options.map((o) => (
                <RadixSelect.Item key={o.value} value={o.value} className="select__item">
                  <RadixSelect.ItemText>{o.label}</RadixSelect.ItemText>
                  <RadixSelect.ItemIndicator className="select__check" aria-hidden="true">
                    ✓
                  </RadixSelect.ItemIndicator>
                </RadixSelect.Item>
              ))}
            </RadixSelect.Viewport>
          </RadixSelect.Content>
        </RadixSelect.Portal>
      </RadixSelect.Root>
    </div>
  );
}
