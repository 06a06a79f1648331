import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createKnex, migrateToLatest } from '@app/core/database/migrations';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database on the test server, named so nobody mistakes it for real data.
 * Refuses any server URL whose database name does not say it is for tests.
 */
export async function createTestDatabase(label = 'db'): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_SERVER_URL;
  if (!serverUrl) throw new Error('TEST_SERVER_URL is not set: run the tests through jest (npm test)');
  const server = new URL(serverUrl);
  if (!/test/i.test(server.pathname) && !/^\/(postgres)?$/.test(server.pathname)) {
    throw new Error(`Refusing to run tests against database "${server.pathname.slice(1)}": its name does not say it is for tests`);
  }
  const name = `test_${label.replace(/\W/g, '_').toLowerCase()}_${randomUUID().slice(0, 8)}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const knex = createKnex(url.toString(), 2);
  try {
    await migrateToLatest(knex);
  } finally {
    await knex.destroy();
  }
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
