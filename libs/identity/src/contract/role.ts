/**
 * The roles of UberPopug Inc.'s people; every user has exactly one. Staff are admins, managers,
 * accountants and workers; a `customer` buys tickets and orders food, is never given a task and has
 * no account in accounting.
 */
export const ROLES = ['admin', 'manager', 'accountant', 'worker', 'customer'] as const;

export type Role = (typeof ROLES)[number];

/** The roles people may give themselves when they register; every other is an admin's to give. */
export const SELF_REGISTERED_ROLES = ['worker', 'customer'] as const satisfies readonly Role[];

export type SelfRegisteredRole = (typeof SELF_REGISTERED_ROLES)[number];
