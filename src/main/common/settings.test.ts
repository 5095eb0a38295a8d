import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createConfSettings, DEFAULT_SETTINGS } from './settings';
import { MemorySettings } from './test-support/memory-settings';

describe('settings', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('defaults to US production, port 53682, /callback, demo mode, system theme, auto-lock after 15 min', () => {
    expect(new MemorySettings().get()).toEqual({
      defaultDataCenter: 'US',
      defaultEnvironment: 'production',
      redirectPort: 53682,
      redirectPath: '/callback',
      demoMode: true,
      theme: 'system',
      autoLockSeconds: 900,
      // Check all on a schedule is off until asked for (docs/health.md "Schedule").
      healthCheckHours: 0,
    });
  });

  it('conf-backed settings persist across instances and reject invalid values', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tokendesk-settings-'));
    dirs.push(cwd);
    const a = createConfSettings({ cwd });
    expect(a.get()).toEqual(DEFAULT_SETTINGS);
    expect(a.update({ defaultDataCenter: 'EU', demoMode: false }).defaultDataCenter).toBe('EU');
    expect(() => a.update({ redirectPort: 80 })).toThrow();
    expect(a.update({ healthCheckHours: 12 }).healthCheckHours).toBe(12);
    expect(() => a.update({ healthCheckHours: 5 as never })).toThrow();
    const b = createConfSettings({ cwd });
    expect(b.get()).toMatchObject({
      defaultDataCenter: 'EU',
      demoMode: false,
      redirectPort: 53682,
      healthCheckHours: 12,
    });
  });
});
