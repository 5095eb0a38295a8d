import { describe, expect, it } from 'vitest';
import { emailOfUserName, isSdkUserName, sdkUserName, userNamesMatch } from './sdk-user-name';

describe('the user-name rule shared with the SDK', () => {
  it("builds the SDK's form when the zgid is known, else the bare email", () => {
    expect(sdkUserName('a@x.example', '123456')).toBe('a@x.example:123456');
    expect(sdkUserName('a@x.example', null)).toBe('a@x.example');
    expect(sdkUserName('a@x.example', 'not-digits')).toBe('a@x.example');
  });

  it('reads the email back, and leaves anything else as it is', () => {
    expect(emailOfUserName('a@x.example:123456')).toBe('a@x.example');
    expect(emailOfUserName('a@x.example')).toBe('a@x.example');
    expect(emailOfUserName('a@x.example:abc')).toBe('a@x.example:abc');
    expect(isSdkUserName('a@x.example:1')).toBe(true);
    expect(isSdkUserName('a@x.example')).toBe(false);
  });

  it.each([
    ['a@x.example', 'a@x.example', true],
    ['a@x.example', 'a@x.example:42', true],
    ['a@x.example:42', 'a@x.example', true],
    ['a@x.example:42', 'a@x.example:42', true],
    ['a@x.example:42', 'a@x.example:43', false],
    ['a@x.example', 'b@x.example:42', false],
    ['a@x.example', 'a@x.example:abc', false],
    ['a@x.exampl', 'a@x.example:42', false],
  ])('lookup %s matches stored %s: %s', (wanted, stored, match) => {
    expect(userNamesMatch(wanted, stored)).toBe(match);
  });
});
