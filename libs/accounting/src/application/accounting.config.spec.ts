import { ConfigError } from '@app/core';
import { loadAccountingConfig } from './accounting.config';

describe('loadAccountingConfig', () => {
  it('closes at midnight UTC and keeps emails in the outbox by default', () => {
    expect(loadAccountingConfig({})).toEqual({
      billingDayEndMinutes: 0,
      smtpUrl: undefined,
      emailFrom: 'UberPopug Accounting <accounting@popug.io>',
    });
  });

  it('reads the day end as HH:MM', () => {
    expect(loadAccountingConfig({ BILLING_DAY_END: '18:30' }).billingDayEndMinutes).toBe(18 * 60 + 30);
  });

  it.each(['24:00', '6:00', '06:60', 'six'])('refuses BILLING_DAY_END=%s', (value) => {
    expect(() => loadAccountingConfig({ BILLING_DAY_END: value })).toThrow(ConfigError);
  });
});
