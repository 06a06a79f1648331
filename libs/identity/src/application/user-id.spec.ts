import { normaliseEmail } from '../domain/email';
import { userIdForEmail } from './user-id';

const userId = userIdForEmail('ann@popug.io');

describe('emails and user ids', () => {
  it('normalises case and surrounding spaces', () => {
    expect(normaliseEmail('  Ann@Popug.IO ')).toBe('ann@popug.io');
  });

  it('derives one RFC 4122 v5 id per normalised email', () => {
    expect(userIdForEmail(' ANN@popug.io')).toBe(userId);
    expect(userId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(userIdForEmail('bob@popug.io')).not.toBe(userId);
  });
});
