/** The roles of UberPopug Inc. staff; every user has exactly one. */
export const ROLES = ['admin', 'manager', 'accountant', 'worker'] as const;

export type Role = (typeof ROLES)[number];
