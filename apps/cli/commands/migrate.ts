import type { CliCommand } from '@app/core';

/** Start-up migrates before any command runs; this command only reports what it did. */
export const migrate: CliCommand = {
  name: 'migrate',
  usage: 'migrate',
  description: 'Apply pending database migrations (event store, projection runtime) and install read-model tables',
  async run({ migrationsApplied, print }) {
    if (migrationsApplied.length === 0) print('Database is up to date.');
    for (const name of migrationsApplied) print(`applied ${name}`);
  },
};
