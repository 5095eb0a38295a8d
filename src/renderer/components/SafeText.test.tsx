import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { databaseNotice } from './DatabaseBusyNotice';
import { SafeText } from './SafeText';

describe('SafeText', () => {
  it('isolates the value and shows a bidi override as an escape, never as the control itself', () => {
    const html = renderToStaticMarkup(<SafeText value={'\u202Emoc.live@nimda'} />);
    expect(html).toMatch(/^<bdi class="safe-text"/);
    expect(html).not.toContain('\u202E');
    expect(html).toContain('<span class="safe-text__escape"');
    expect(html).toContain('\\u202E</span>moc.live@nimda</bdi>');
    // The tooltip carries the revealed value too.
    expect(html).toContain('title="\\u202Emoc.live@nimda"');
  });

  it('cuts a 10,000-character value, keeps all of it in the tooltip (up to 2,000) and offers "Show all"', () => {
    const html = renderToStaticMarkup(
      <SafeText value={'n'.repeat(10_000)} max={120} expandable testId="v" />,
    );
    expect(html).toContain(`>${'n'.repeat(120)}…</bdi>`);
    expect(html).toContain(`title="${'n'.repeat(2_000)}…"`);
    expect(html).toContain('data-cut="true"');
    expect(html).toContain('Show all (10,000 characters)');
  });

  it('renders plain values plainly (no tooltip, no toggle)', () => {
    expect(renderToStaticMarkup(<SafeText value="admin@example.com" expandable />)).toBe(
      '<bdi class="safe-text">admin@example.com</bdi>',
    );
  });
});

describe('database notice', () => {
  it('says nothing when the database is free and nothing waits', () => {
    expect(databaseNotice(undefined)).toBeNull();
    expect(databaseNotice({ busy: false, pendingWrites: 0 })).toBeNull();
  });

  it('names the busy state in plain words and counts what waits', () => {
    expect(databaseNotice({ busy: true, pendingWrites: 2 })).toEqual({
      title: 'The database is busy (held by another program)',
      detail: expect.stringContaining('2 audit entries and notes wait to be written'),
    });
    expect(databaseNotice({ busy: false, pendingWrites: 1 })?.detail).toContain(
      '1 audit entry or note waits',
    );
  });
});
