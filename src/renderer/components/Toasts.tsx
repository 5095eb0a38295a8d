import * as Toast from '@radix-ui/react-toast';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';

export type ToastTone = 'success' | 'error' | 'info';

export interface ToastInput {
  readonly title: string;
  readonly description?: string | undefined;
  readonly hint?: string | null | undefined;
  readonly tone?: ToastTone;
}

interface ToastItem extends ToastInput {
  readonly id: number;
}

/** An error stays until read (or 15 s); a confirmation only needs a glance, and must not linger over work. */
const ERROR_TOAST_MS = 15_000;
const NOTICE_TOAST_MS = 4_000;

const ToastContext = createContext<(toast: ToastInput) => void>(() => {});

export function useToast(): (toast: ToastInput) => void {
  return useContext(ToastContext);
}

/**
 * Results of actions as Radix toasts (announced politely; errors stay longer and are announced assertively
 * as "foreground" so a failed revoke is never missed).
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<readonly ToastItem[]>([]);
  const push = useCallback((toast: ToastInput) => {
    setItems((list) => [...list.slice(-4), { ...toast, id: Date.now() + Math.random() }]);
  }, []);
  const remove = useCallback((id: number) => setItems((list) => list.filter((t) => t.id !== id)), []);
  const value = useMemo(() => push, [push]);

  return (
    <ToastContext.Provider value={value}>
      <Toast.Provider swipeDirection="right" label="Notification">
        {children}
        {items.map((t) => (
          <Toast.Root
            key={t.id}
            className={`toast toast--${t.tone ?? 'info'}`}
            type={t.tone === 'error' ? 'foreground' : 'background'}
            duration={t.tone === 'error' ? ERROR_TOAST_MS : NOTICE_TOAST_MS}
            onOpenChange={(open) => {
              if (!open) remove(t.id);
            }}
            data-testid="toast"
            data-tone={t.tone ?? 'info'}
          >
            <Toast.Title className="toast__title">{t.title}</Toast.Title>
            {t.description && <Toast.Description className="toast__body">{t.description}</Toast.Description>}
            {t.hint && <p className="toast__hint">{t.hint}</p>}
            <Toast.Close className="toast__close" aria-label="Dismiss notification">
              ×
            </Toast.Close>
          </Toast.Root>
        ))}
        <Toast.Viewport className="toast-viewport" />
      </Toast.Provider>
    </ToastContext.Provider>
  );
}
