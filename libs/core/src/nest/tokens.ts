/** Injection tokens of the platform's shared pieces. */
export const PLATFORM_CONFIG = Symbol('PLATFORM_CONFIG');
export const PLATFORM_OPTIONS = Symbol('PLATFORM_OPTIONS');
export const KNEX = Symbol('KNEX');
export const LOGGER = Symbol('LOGGER');
