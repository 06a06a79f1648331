import type { ReservationExpired, WaitlistJoined, WaitlistLeft, WaitlistOffered } from '@app/ticketing/contract';
import { readModelUnderTest, recorder } from '../../../test/support/read-model-spec';
import { waitlistProjection } from './waitlist.projection';
import { waitlistQueries } from './waitlist.queries';

const recorded = recorder<WaitlistJoined | WaitlistLeft | WaitlistOffered | ReservationExpired>((event) => `ticketing-show-${event.data.showId}`);
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const SHOW = uuid(1);
const OTHER_SHOW = uuid(2);
const [W1, W2, W3, W4] = [31, 32, 33, 34].map(uuid);

const joined = (showId: string, waitlistId: string, customerId: string, place: number, joinedAt: string) =>
  recorded('WaitlistJoined', { showId, waitlistId, customerId, quantity: place + 1, place, joinedAt });
const offered = (waitlistId: string, customerId: string, reservationId: string) =>
  recorded('WaitlistOffered', { showId: SHOW, waitlistId, customerId, reservationId, offeredAt: '2027-01-03T00:00:00.000Z' });

// W1 is offered a hold that expires; W2 is offered one still held; W3 leaves; W4 (another show) waits.
// An expiry of a hold that was no offer touches no entry.
const events = [
  joined(SHOW, W1, 'ann', 1, '2027-01-02T10:00:00.000Z'),
  joined(SHOW, W2, 'bob', 2, '2027-01-02T10:01:00.000Z'),
  joined(SHOW, W3, 'ann', 3, '2027-01-02T10:02:00.000Z'),
  joined(OTHER_SHOW, W4, 'ann', 1, '2027-01-02T10:03:00.000Z'),
  recorded('ReservationExpired', { showId: SHOW, reservationId: uuid(10), customerId: 'carl', seats: ['A-1-1'], waitlistId: null, expiredAt: '2027-01-03T00:00:00.000Z' }),
  offered(W1, 'ann', uuid(11)),
  offered(W2, 'bob', uuid(12)),
  recorded('WaitlistLeft', { showId: SHOW, waitlistId: W3, customerId: 'ann', leftAt: '2027-01-03T00:01:00.000Z' }),
  recorded('ReservationExpired', { showId: SHOW, reservationId: uuid(11), customerId: 'ann', seats: ['A-1-1', 'A-1-2'], waitlistId: W1, expiredAt: '2027-01-03T00:10:00.000Z' }),
];

const entry = (waitlistId: string, showId: string, customerId: string, place: number, status: string, reservationId: string | null, joinedAt: string) => ({
  waitlist_id: waitlistId,
  show_id: showId,
  customer_id: customerId,
  quantity: place + 1,
  place,
  status,
  reservation_id: reservationId,
  joined_at: new Date(joinedAt),
});

const expectedRows = [
  entry(W1, SHOW, 'ann', 1, 'expired', uuid(11), '2027-01-02T10:00:00.000Z'),
  entry(W2, SHOW, 'bob', 2, 'offered', uuid(12), '2027-01-02T10:01:00.000Z'),
  entry(W3, SHOW, 'ann', 3, 'left', null, '2027-01-02T10:02:00.000Z'),
  entry(W4, OTHER_SHOW, 'ann', 1, 'waiting', null, '2027-01-02T10:03:00.000Z'),
];

describe('ticketing waitlist read model', () => {
  it('reads the entries and the expiry of the holds offered to them', () => {
    expect(waitlistProjection.eventTypes).toEqual(['WaitlistJoined', 'WaitlistLeft', 'WaitlistOffered', 'ReservationExpired']);
  });

  describe('the events in one batch', () => {
    const readModel = readModelUnderTest(waitlistProjection, { batches: [events] });
    const queries = () => readModel.queries(waitlistQueries);

    it('keeps each entry: waiting, offered with its hold, expired when the offered hold expired, left', async () => {
      expect(await readModel.rows('ticketing_waitlist', 'served', 'waitlist_id')).toEqual(expectedRows);
    });

    it('answers the show of an entry, null for an unknown id', async () => {
      expect(await queries().showOf(W4)).toBe(OTHER_SHOW);
      expect(await queries().showOf(uuid(99))).toBeNull();
    });

    it('lists a customer’s entries on every show, newest first', async () => {
      expect(await queries().ofCustomer('ann')).toEqual([expectedRows[3], expectedRows[2], expectedRows[0]]);
      expect(await queries().ofCustomer('bob')).toEqual([expectedRows[1]]);
      expect(await queries().ofCustomer('carl')).toEqual([]);
    });
  });

  describe('the same events one batch each', () => {
    const readModel = readModelUnderTest(waitlistProjection);

    it('gives the same rows as one batch', async () => {
      await readModel.applyEachAlone(events);
      expect(await readModel.rows('ticketing_waitlist', 'served', 'waitlist_id')).toEqual(expectedRows);
    });
  });
});
