import { ConfigError, type Env, envString } from '@app/core';

/**
 * Accounting's settings, from the environment: BILLING_DAY_END (HH:MM UTC, default 00:00),
 * SMTP_URL (unset: emails go to the local outbox) and
 * EMAIL_FROM (default "UberPopug Accounting <accounting@popug.io>"). Loaded once, at launch.
 */
export interface AccountingConfig {
  /** Minutes after midnight UTC from which the previous day's billing cycle is closed. */
  billingDayEndMinutes: number;
  smtpUrl: string | undefined;
  emailFrom: string;
}

export const ACCOUNTING_CONFIG = Symbol('ACCOUNTING_CONFIG');

export function loadAccountingConfig(env: Env): AccountingConfig {
  return {
    billingDayEndMinutes: dayEnd(envString(env, 'BILLING_DAY_END', '00:00')),
    smtpUrl: envString(env, 'SMTP_URL'),
    emailFrom: envString(env, 'EMAIL_FROM', 'UberPopug Accounting <accounting@popug.io>'),
  };
}

function dayEnd(raw: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(raw);
  if (!match) throw new ConfigError(`BILLING_DAY_END must be a time of day HH:MM (UTC), such as 00:00 or 18:30, not "${raw}"`);
  return Number(match[1]) * 60 + Number(match[2]);
}
