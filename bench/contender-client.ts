import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { ChildMessage, ContenderApi, ContenderName, Scenario } from './protocol';

/** How long a contender may take to close its pools and exit before it is killed. */
const CLOSE_TIMEOUT_MS = 10_000;

export type Measurement = Omit<Extract<ChildMessage, { type: 'result' }>, 'type'>;

/** The parent's handle on one contender process (see protocol.ts for why each store has its own). */
export class ContenderClient {
  private constructor(
    readonly name: ContenderName,
    readonly api: ContenderApi,
    private readonly child: ChildProcess,
  ) {}

  static async start(name: ContenderName, databaseUrl: string): Promise<ContenderClient> {
    const child = fork(join(__dirname, 'contender-process.js'), [name, databaseUrl], { stdio: 'inherit' });
    try {
      const ready = await reply(child, name);
      if (ready.type !== 'ready') throw new Error(`${name} answered ${ready.type} instead of ready`);
      return new ContenderClient(name, ready.api, child);
    } catch (error) {
      child.kill();
      throw error;
    }
  }

  async run(scenario: Scenario): Promise<Measurement> {
    this.child.send({ type: 'run', scenario });
    const answer = await reply(this.child, this.name);
    if (answer.type !== 'result') throw new Error(`${this.name} answered ${answer.type} to run`);
    const { type: _, ...measurement } = answer;
    return measurement;
  }

  /** Asks the contender to close its store and exit; kills it if it has not exited in time. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.send({ type: 'close' });
    const timer = setTimeout(() => this.child.kill(), CLOSE_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}

/** The child's next message; an `error` message or an exit rejects. */
function reply(child: ChildProcess, name: ContenderName): Promise<Exclude<ChildMessage, { type: 'error' }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ChildMessage) => {
      child.off('exit', onExit);
      if (message.type === 'error') reject(new Error(`${name}: ${message.message}`));
      else resolve(message);
    };
    const onExit = (code: number | null) => {
      child.off('message', onMessage);
      reject(new Error(`${name} exited with ${code} before it answered`));
    };
    child.once('message', onMessage);
    child.once('exit', onExit);
  });
}
