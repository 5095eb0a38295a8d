import * as AlertDialog from '@radix-ui/react-alert-dialog';
import * as Dialog from '@radix-ui/react-dialog';
import { type ComponentPropsWithoutRef, createContext, type ReactNode, useContext } from 'react';

/**
 * `alert`: a question that must be answered (delete, clear all): role `alertdialog`, and a click outside
 * does not close it. `dialog`: everything else.
 */
type DialogKind = 'dialog' | 'alert';
const KindContext = createContext<DialogKind>('dialog');

interface DialogShellProps {
  readonly kind?: DialogKind;
  readonly title: ReactNode;
  /** Read as the dialog's description. Leave out and put a `DialogDescription` in the body when it changes by step. */
  readonly description?: ReactNode;
  /** `normal` fits most; `narrow` a short question; `wide` a form with two columns. */
  readonly size?: 'narrow' | 'normal' | 'wide';
  readonly testId: string;
  /** The person asked to close: Escape, a close button, or (plain dialogs) a click outside. */
  readonly onDismiss: () => void;
  /**
   * Puts focus back where the person was when the dialog closes (it opened from a row or a button that may
   * be gone by now). Return false to leave it to Radix: the element focused before the dialog opened.
   * Without it, Radix does that too.
   */
  readonly returnFocus?: () => unknown;
  /** Mounted with the dialog, above the title, so its first change is announced (a `LiveRegion`). */
  readonly live?: ReactNode;
  /** The buttons: fixed under the body, which scrolls, so they stay in view in a 600 px high window. */
  readonly footer?: ReactNode;
  /** Changes in the footer (a button turning into a spinner with its label) are announced. */
  readonly announceFooter?: boolean;
  /** Makes body and footer one form: Enter in a field submits. */
  readonly onSubmit?: () => void;
  readonly children?: ReactNode;
}

/**
 * The one frame every dialog of the app uses: portal, overlay, title, a scrolling body and a fixed footer,
 * focus trapped inside while open and returned on close (Radix Dialog / AlertDialog do the trapping, the
 * Escape key and the ARIA roles).
 */
export function DialogShell({
  kind = 'dialog',
  title,
  description,
  size = 'normal',
  testId,
  onDismiss,
  returnFocus,
  live,
  footer,
  announceFooter = false,
  onSubmit,
  children,
}: DialogShellProps) {
  const Primitive = kind === 'alert' ? AlertDialog : Dialog;
  const sizeClass = size === 'normal' ? '' : ` dialog--${size}`;
  const body = (
    <>
      <div className="dialog__body">
        {description !== undefined && (
          <Primitive.Description className="dialog__desc">{description}</Primitive.Description>
        )}
        {children}
      </div>
      {footer && (
        <div className="dialog__actions dialog__footer" aria-live={announceFooter ? 'polite' : undefined}>
          {footer}
        </div>
      )}
    </>
  );
  return (
    <KindContext.Provider value={kind}>
      <Primitive.Root open onOpenChange={(open) => !open && onDismiss()}>
        <Primitive.Portal>
          <Primitive.Overlay className="overlay" />
          <Primitive.Content
            className={`dialog${sizeClass}`}
            data-testid={testId}
            onCloseAutoFocus={(event) => {
              if (returnFocus && returnFocus() !== false) event.preventDefault();
            }}
          >
            {live}
            <Primitive.Title className="dialog__title">{title}</Primitive.Title>
            {onSubmit ? (
              <form
                className="dialog__form"
                noValidate
                onSubmit={(event) => {
                  event.preventDefault();
                  onSubmit();
                }}
              >
                {body}
              </form>
            ) : (
              body
            )}
          </Primitive.Content>
        </Primitive.Portal>
      </Primitive.Root>
    </KindContext.Provider>
  );
}

/** A button that closes the dialog it is in (Cancel, Close, Done). */
export function DialogClose(props: ComponentPropsWithoutRef<'button'>) {
  const kind = useContext(KindContext);
  const Close = kind === 'alert' ? AlertDialog.Cancel : Dialog.Close;
  return <Close type="button" className="btn" {...props} />;
}

/** The dialog's description, for a dialog whose description changes by step; `asChild` wraps a block. */
export function DialogDescription(props: { readonly children: ReactNode; readonly asChild?: boolean }) {
  const kind = useContext(KindContext);
  const Description = kind === 'alert' ? AlertDialog.Description : Dialog.Description;
  return <Description className={props.asChild ? undefined : 'dialog__desc'} {...props} />;
}
