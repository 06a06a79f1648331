import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { ConfigError, type Env, envInteger, envString, readOrCreateSecret } from '@app/core';

/**
 * TicketSafe's settings, from the environment, loaded once at launch (`TICKETING_CONFIG`):
 * - TICKETING_MASTER_KEY: the key that wraps every customer's data key (any secret string; its
 *   SHA-256 is the AES-256 key). Unset, one is generated into `.data/ticketing-master-key` (as the
 *   JWT secret is); with NODE_ENV=production it must be set. Losing it loses every customer's
 *   personal data (the events stay, unreadable).
 * - TICKETING_OFFERS_PER_RETURN (default 10): how many waitlist entries one expiry or cancel can
 *   offer its returned seats to.
 */
export interface TicketingConfig {
  masterKey: Buffer;
  offersPerReturn: number;
}

export const TICKETING_CONFIG = Symbol('TICKETING_CONFIG');

export function loadTicketingConfig(env: Env, dataDir = resolve('.data')): TicketingConfig {
  return { masterKey: masterKey(env, dataDir), offersPerReturn: envInteger(env, 'TICKETING_OFFERS_PER_RETURN', 10, { min: 1, unit: 'offers' }) };
}

function masterKey(env: Env, dataDir: string): Buffer {
  const secret = envString(env, 'TICKETING_MASTER_KEY');
  if (!secret && env.NODE_ENV === 'production') throw new ConfigError('TICKETING_MASTER_KEY must be set when NODE_ENV=production');
  return createHash('sha256')
    .update(secret || readOrCreateSecret(join(dataDir, 'ticketing-master-key')), 'utf8')
    .digest();
}
