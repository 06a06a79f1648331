import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** Starts a compiled fixture (built into dist/ by the global setup) and waits for its "ready" line. */
export async function startFixture(fixture: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(__dirname, '..', '..', 'dist', 'test', 'fixtures', `${fixture}.js`), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${fixture} exited with ${code} before it was ready`)));
  });
  return child;
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
