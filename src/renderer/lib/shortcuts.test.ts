import { describe, expect, it } from 'vitest';
import { isLockShortcut, shortcutFor } from './shortcuts';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe('shortcutFor', () => {
  it('maps / and n', () => {
    expect(shortcutFor(key('/'))).toBe('search');
    expect(shortcutFor(key('n'))).toBe('add');
    expect(shortcutFor(key('N'))).toBe('add');
  });
  it('maps Escape to closing the details panel', () => {
    expect(shortcutFor(key('Escape'))).toBe('close');
    expect(shortcutFor(key('Escape', { altKey: true }))).toBeNull();
  });
  it('ignores modified keys and other keys', () => {
    expect(shortcutFor(key('n', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key('/', { metaKey: true }))).toBeNull();
    expect(shortcutFor(key('x'))).toBeNull();
  });
});

describe('isLockShortcut', () => {
  const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>>) => ({
    key: k,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    ...mods,
  });
  it('is Ctrl+L or Cmd+L, and nothing with Alt or Shift or without a modifier', () => {
    expect(isLockShortcut(key('l', { ctrlKey: true }))).toBe(true);
    expect(isLockShortcut(key('l', { metaKey: true }))).toBe(true);
    expect(isLockShortcut(key('L', { ctrlKey: true }))).toBe(true);
    expect(isLockShortcut(key('l', {}))).toBe(false);
    expect(isLockShortcut(key('l', { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(isLockShortcut(key('l', { ctrlKey: true, altKey: true }))).toBe(false);
    expect(isLockShortcut(key('k', { ctrlKey: true }))).toBe(false);
  });
});
