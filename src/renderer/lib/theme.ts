import { useEffect, useSyncExternalStore } from 'react';
import type { Settings } from '../../shared/ipc/views';

export type ThemeSetting = Settings['theme'];
export type AppliedTheme = 'light' | 'dark';

/** The theme to paint: the setting when forced, else the OS preference. */
export function resolveTheme(setting: ThemeSetting | undefined, osPrefersDark: boolean): AppliedTheme {
  if (setting === 'light' || setting === 'dark') return setting;
  return osPrefersDark ? 'dark' : 'light';
}

const DARK_QUERY = '(prefers-color-scheme: dark)';

function darkQuery(): MediaQueryList | null {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function'
    ? window.matchMedia(DARK_QUERY)
    : null;
}

function subscribeOs(listener: () => void): () => void {
  const mq = darkQuery();
  if (!mq) return () => {};
  mq.addEventListener('change', listener);
  return () => mq.removeEventListener('change', listener);
}

/** Live OS preference: re-renders when the OS switches between light and dark. */
export function useOsPrefersDark(): boolean {
  return useSyncExternalStore(
    subscribeOs,
    () => darkQuery()?.matches ?? false,
    () => false,
  );
}

/**
 * Paints the theme on `<html data-theme>` on every screen (first run, unlock and the console alike).
 * Until settings arrive nothing is forced, and the stylesheet's prefers-color-scheme rules apply.
 */
export function useAppliedTheme(setting: ThemeSetting | undefined): void {
  const osDark = useOsPrefersDark();
  useEffect(() => {
    const root = document.documentElement;
    if (setting === undefined) delete root.dataset.theme;
    else root.dataset.theme = resolveTheme(setting, osDark);
  }, [setting, osDark]);
}
