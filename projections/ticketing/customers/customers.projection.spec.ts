import type { CustomerForgotten, CustomerPersonalDataSet } from '@app/ticketing/contract';
import { readModelUnderTest, recorder } from '../../../test/support/read-model-spec';
import { customersProjection } from './customers.projection';
import { customersQueries } from './customers.queries';

const ann = 'a0000000-0000-4000-8000-000000000001';
const bob = 'b0000000-0000-4000-8000-000000000002';
const cid = 'c0000000-0000-4000-8000-000000000003';
const key = (n: number) => `f0000000-0000-4000-8000-00000000000${n}`;
const at = '2027-01-01T10:00:00.000Z';

const recorded = recorder<CustomerPersonalDataSet | CustomerForgotten>((event) => `ticketing-customer-${event.data.userId}`);
const set = (userId: string, keyId: string, ciphertext: string) => recorded('CustomerPersonalDataSet', { userId, keyId, iv: 'aXY=', ciphertext, tag: 'dGFn', setAt: at });
const forgotten = (userId: string, keyId: string) => recorded('CustomerForgotten', { userId, keyId, forgottenAt: at });

/** Ann set twice; Bob set then forgotten; Cid set, forgotten, and set again under a new key. */
const log = [
  set(ann, key(1), 'YW5uMQ=='),
  set(bob, key(2), 'Ym9i'),
  set(ann, key(1), 'YW5uMg=='),
  forgotten(bob, key(2)),
  set(cid, key(3), 'Y2lkMQ=='),
  forgotten(cid, key(3)),
  set(cid, key(4), 'Y2lkMg=='),
];

describe('ticketing customers', () => {
  const readModel = readModelUnderTest(customersProjection, { generations: ['served', 2], batches: [log] });

  it('keeps each customer’s latest ciphertext, and no row for one forgotten since', async () => {
    expect(await readModel.rows('ticketing_customers', 'served', 'user_id')).toEqual([
      { user_id: ann, key_id: key(1), iv: 'aXY=', ciphertext: 'YW5uMg==', tag: 'dGFn', set_at: new Date(at) },
      { user_id: cid, key_id: key(4), iv: 'aXY=', ciphertext: 'Y2lkMg==', tag: 'dGFn', set_at: new Date(at) },
    ]);
  });

  it('gives the same rows applied one event per batch as in one batch', async () => {
    await readModel.applyEachAlone(log, 2);
    expect(await readModel.rows('ticketing_customers', 2, 'user_id')).toEqual(await readModel.rows('ticketing_customers', 'served', 'user_id'));
  });

  it('answers the sealed data only of customers whose key is still in the vault, with the key it is under', async () => {
    await readModel.knex('ticketing_customer_keys').insert([
      { key_id: key(1), user_id: ann, wrapped_key: 'v1.ann' },
      { key_id: key(3), user_id: cid, wrapped_key: 'v1.cid-old' },
    ]);
    const queries = readModel.queries(customersQueries);
    expect(await queries.sealedFor([ann, bob, cid])).toEqual([{ user_id: ann, key_id: key(1), iv: 'aXY=', ciphertext: 'YW5uMg==', tag: 'dGFn', wrapped_key: 'v1.ann' }]);
    expect(await queries.sealedFor([])).toEqual([]);
  });
});
