export type Shortcut = 'search' | 'add' | 'close';

interface KeyLike {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
}

/** `/`, `n` and Escape (closes the details panel) without modifiers; anything else is not ours. */
export function shortcutFor(e: KeyLike): Shortcut | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (e.key === '/') return 'search';
  if (e.key === 'Escape') return 'close';
  if (e.key === 'n' || e.key === 'N') return 'add';
  return null;
}

/** Shortcuts must not fire while the user types, or while a dialog or menu owns the keyboard. */
export function isShortcutTarget(target: EventTarget | null, doc: Document): boolean {
  const el = target as HTMLElement | null;
  if (el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName))) return false;
  return doc.querySelector('[role="dialog"],[role="alertdialog"],[role="menu"],[role="listbox"]') === null;
}

/** Ctrl+L (Cmd+L on a Mac) locks the store, from anywhere in the console, even while typing. */
export function isLockShortcut(e: KeyLike & { readonly shiftKey?: boolean }): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && (e.key === 'l' || e.key === 'L');
}
