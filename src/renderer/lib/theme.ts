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

function osPrefersDark(): boolean {
  return darkQuery()?.matches ?? false;
}

/** Live OS preference: re-renders when the OS switches between light and dark. */
function useOsPrefersDark(): boolean {
  return useSyncExternalStore(subscribeOs, osPrefersDark, () => false);
}

/**
 * Paints a theme on `<html data-theme>`, the only switch styles.css reads: the stylesheet holds one dark
 * palette and no prefers-color-scheme rules, so "system" (and "not loaded yet") is resolved here.
 */
function paintTheme(setting: ThemeSetting | undefined, osDark: boolean): void {
  document.documentElement.dataset.theme = resolveTheme(setting, osDark);
}

/** Before the first render: the OS preference, so the first screen already has the right palette. */
export function paintInitialTheme(): void {
  paintTheme(undefined, osPrefersDark());
}

/**
 * Keeps `<html data-theme>` current on every screen (first run, unlock and the console alike): the
 * Settings theme once it has loaded, the OS preference before that and for "system", live as it changes.
 */
export function useAppliedTheme(setting: ThemeSetting | undefined): void {
  const osDark = useOsPrefersDark();
  useEffect(() => paintTheme(setting, osDark), [setting, osDark]);
}
