import * as Label from '@radix-ui/react-label';
import { type InputHTMLAttributes, type ReactNode, useId } from 'react';

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  readonly label: string;
  readonly error?: string | undefined;
  readonly description?: ReactNode;
}

/** A labelled input whose error and description are wired with aria-describedby / aria-invalid. */
export function Field({ label, error, description, className, ...input }: FieldProps) {
  const id = useId();
  const describedBy = [description ? `${id}-desc` : null, error ? `${id}-err` : null]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={`field ${className ?? ''}`}>
      <Label.Root htmlFor={id} className="field__label">
        {label}
      </Label.Root>
      <div className="field__control">
        <input
          id={id}
          className="input"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy || undefined}
          {...input}
        />
      </div>
      {description && (
        <p id={`${id}-desc`} className="field__desc">
          {description}
        </p>
      )}
      {error && (
        <p id={`${id}-err`} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}
