import { hasUnstorableCharacter, textProblem } from './text';

describe('text', () => {
  const line = { maxLength: 10 };
  const lines = { maxLength: 10, multiline: true };

  it.each([
    ['NUL', 'a\u0000b', line],
    ['a lone high surrogate', 'a\ud800b', line],
    ['a lone high surrogate at the end', 'ab\ud83d', line],
    ['a lone low surrogate', '\udc00ab', line],
    ['a bell', 'a\u0007', line],
    ['DEL', 'a\u007f', line],
    ['a C1 control', 'a\u0085', line],
    ['a newline in one line', 'a\nb', line],
    ['a carriage return in several lines', 'a\rb', lines],
    ['a vertical tab in several lines', 'a\u000bb', lines],
    ['nothing but blanks', ' \t ', line],
    ['too long', 'x'.repeat(11), line],
    ['not a string', 12, line],
  ])('refuses %s', (_, value, rules) => {
    expect(textProblem(value, rules)).toEqual(expect.any(String));
  });

  it.each([
    ['plain text', 'fix login', line],
    ['paired surrogates, counted as one character each', '🐦🐦🐦🐦🐦🐦🐦🐦🐦🐦', line],
    ['tab and newline in several lines', 'a\n\tb', lines],
    ['a blank value where blanks are allowed', '', { maxLength: 10, allowBlank: true }],
    ['letters beyond Latin', 'Ärger ñ 鳥', line],
  ])('accepts %s', (_, value, rules) => {
    expect(textProblem(value, rules)).toBeNull();
  });

  it('checks a pattern, with its message', () => {
    expect(textProblem('a[1]', { maxLength: 10, pattern: /^[^[\]]*$/, patternMessage: 'no brackets' })).toBe('no brackets');
  });

  it('tells NUL and lone surrogates, which nothing can store, from other text', () => {
    expect(hasUnstorableCharacter('a\u0000')).toBe(true);
    expect(hasUnstorableCharacter('a\udfff')).toBe(true);
    expect(hasUnstorableCharacter('a\u0007 🐦')).toBe(false);
  });
});
