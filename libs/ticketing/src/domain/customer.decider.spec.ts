import { spec } from '@app/core/testing/given-when-then';
import type { CustomerForgotten, CustomerPersonalDataSet } from '../contract/ticketing.events';
import { customerDecider, customerStream } from './customer.decider';

const userId = 'a0000000-0000-4000-8000-000000000001';
const firstKey = 'k0000000-0000-4000-8000-000000000001';
const secondKey = 'k0000000-0000-4000-8000-000000000002';
const sealed = (keyId: string, ciphertext: string): CustomerPersonalDataSet['data'] => ({ userId, keyId, iv: 'aXY=', ciphertext, tag: 'dGFn', setAt: '2027-01-01T10:00:00.000Z' });

const set = (keyId: string, ciphertext = 'Y3Q=') => ({ type: 'SetPersonalData' as const, data: sealed(keyId, ciphertext) });
const wasSet = (keyId: string, ciphertext = 'Y3Q='): CustomerPersonalDataSet => ({ type: 'CustomerPersonalDataSet', data: sealed(keyId, ciphertext) });
const forget = { type: 'ForgetCustomer' as const, data: { userId, forgottenAt: '2027-01-02T10:00:00.000Z' } };
const forgotten = (keyId: string): CustomerForgotten => ({ type: 'CustomerForgotten', data: { userId, keyId, forgottenAt: '2027-01-02T10:00:00.000Z' } });

describe('customer decider', () => {
  it('records the personal data as the handler encrypted it, first and again', () => {
    spec(customerDecider).given([]).when(set(firstKey)).then([wasSet(firstKey)]);
    spec(customerDecider).given([wasSet(firstKey)]).when(set(firstKey, 'bmV3')).then([wasSet(firstKey, 'bmV3')]);
  });

  it('forgets the customer under the key their data is encrypted with', () => {
    spec(customerDecider).given([wasSet(firstKey)]).when(forget).then([forgotten(firstKey)]);
    spec(customerDecider).given([wasSet(firstKey), wasSet(firstKey, 'bmV3')]).when(forget).then([forgotten(firstKey)]);
  });

  it('forgetting again, or a customer who never gave data, changes nothing', () => {
    spec(customerDecider).given([wasSet(firstKey), forgotten(firstKey)]).when(forget).then([]);
    spec(customerDecider).given([]).when(forget).then([]);
  });

  it('takes data after forgetting, under the new key, which the next forgetting names', () => {
    spec(customerDecider).given([wasSet(firstKey), forgotten(firstKey)]).when(set(secondKey)).then([wasSet(secondKey)]);
    spec(customerDecider).given([wasSet(firstKey), forgotten(firstKey), wasSet(secondKey)]).when(forget).then([forgotten(secondKey)]);
  });

  it('folds to the key in use and whether the customer was forgotten', () => {
    const fold = (events: (CustomerPersonalDataSet | CustomerForgotten)[]) => events.reduce(customerDecider.evolve, customerDecider.initialState());
    expect(fold([])).toEqual({ keyId: null, forgotten: false });
    expect(fold([wasSet(firstKey)])).toEqual({ keyId: firstKey, forgotten: false });
    expect(fold([wasSet(firstKey), forgotten(firstKey)])).toEqual({ keyId: null, forgotten: true });
    expect(fold([wasSet(firstKey), forgotten(firstKey), wasSet(secondKey)])).toEqual({ keyId: secondKey, forgotten: false });
  });

  it('keeps each customer in a stream of their own', () => {
    expect(customerStream(userId)).toBe(`ticketing-customer-${userId}`);
  });
});
