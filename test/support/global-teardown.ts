import { rmSync } from 'node:fs';
import { embeddedPasswordFile } from '../../libs/core/src/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const embedded = (globalThis as { __EMBEDDED_PG__?: { stop(): Promise<void>; dataDir: string } }).__EMBEDDED_PG__;
  if (!embedded) return;
  await embedded.stop();
  rmSync(embedded.dataDir, { recursive: true, force: true });
  rmSync(embeddedPasswordFile(embedded.dataDir), { force: true });
}
