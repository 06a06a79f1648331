import { deterministicId } from './deterministic-id';

describe('deterministicId', () => {
  it('is the same UUID v5 for the same parts, and another for other parts', () => {
    const id = deterministicId('7d1c3a52-4b8e-4a8f-9a57-1f6f3c0b2e10', 'debit');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicId('7d1c3a52-4b8e-4a8f-9a57-1f6f3c0b2e10', 'debit')).toBe(id);
    expect(deterministicId('7d1c3a52-4b8e-4a8f-9a57-1f6f3c0b2e10', 'credit')).not.toBe(id);
  });

  it('keeps the parts apart: ("ab", "c") is not ("a", "bc")', () => {
    expect(deterministicId('ab', 'c')).not.toBe(deterministicId('a', 'bc'));
  });
});
