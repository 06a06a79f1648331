import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { PayoutMade } from '@app/accounting/contract';
import { type Recorded, utcDateOf } from '@app/core';
import { PayoutEmailsProcessManager } from '../libs/accounting/src/application/send-payout-email/payout-emails.process-manager';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { postTransaction, ScriptedPrices, settle, startAccountingPlatform, TestClock } from './fixtures/accounting.fixture';
import { bearer, Staff, type TestUser } from './fixtures/identity.fixture';
import type { TestApp } from './support/test-app';
import { eventually } from './support/wait';


interface Email {
  to: string;
  subject: string;
  amount: number;
  date: string;
  status: string;
  attempts: number;
  lastError: string | null;
}

/** A real SMTP server in the test process: it refuses mail while `refusing`, and keeps what it accepts. */
class TestSmtpServer {
  refusing = true;
  readonly received: Array<{ to: string[]; raw: string }> = [];
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, session, callback) => {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        if (this.refusing) {
          callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
          return;
        }
        this.received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('payout emails over SMTP', () => {
  const smtp = new TestSmtpServer();
  let platform: TestApp;
  let staff: Staff;
  let worker: TestUser;
  const emails = async (): Promise<Email[]> => (await platform.http.get('/accounting/emails').set(bearer(staff.admin)).expect(200)).body;

  beforeAll(async () => {
    const url = await smtp.start();
    platform = await startAccountingPlatform(new TestClock(), new ScriptedPrices(), { env: { SMTP_URL: url, METRICS_TOKEN: 'accounting-metrics' } });
    staff = await Staff.of(platform.http);
    worker = await staff.hire('worker', 'Pip');
  });
  afterAll(async () => {
    await platform.close();
    await smtp.stop();
  });

  it('shows a failed send with its error while retrying it, then sends it once, even when the payout is delivered again', async () => {
    const today = utcDateOf(new Date());
    await postTransaction(
      platform.app,
      {
        kind: 'credit',
        transactionId: '00000000-0000-4000-8000-00000000e001',
        userId: worker.userId,
        amount: 31,
        taskId: '00000000-0000-4000-8000-000000000000',
        taskTitle: 'oil the scanner',
        description: 'it squeaks',
        at: new Date().toISOString(),
      },
      today,
    );
    await settle(platform.app);
    const closed = await platform.http.post('/accounting/billing-cycles/close').set(bearer(staff.admin)).send({}).expect(200);
    expect(closed.body).toMatchObject({ date: today, payouts: 1, total: 31 });

    const failing = await eventually(async () => {
      const [email] = await emails();
      return email?.status === 'failed' && email.attempts >= 2 ? email : null;
    });
    expect(failing).toMatchObject({ to: worker.email, amount: 31, date: today, lastError: expect.stringContaining('Mailbox busy') });
    expect(smtp.received).toEqual([]);
    const metrics = (await platform.http.get('/metrics').set('Authorization', 'Bearer accounting-metrics').expect(200)).text;
    expect(metrics).toMatch(/process_manager_failed_attempts\{process_manager="payout-emails"\} [1-9]/);
    expect(metrics).toContain('process_manager_failed_attempts{process_manager="task-accounts"} 0');

    smtp.refusing = false;
    const sent = await eventually(async () => {
      const [email] = await emails();
      return email?.status === 'sent' ? email : null;
    });
    expect(sent.attempts).toBeGreaterThan(failing.attempts);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].to).toEqual([worker.email]);
    expect(smtp.received[0].raw).toContain(`Subject: ${sent.subject}`);
    expect(smtp.received[0].raw).toContain('paid out: 31');

    const [payout] = await platform.app.get<EventStore>(EVENT_STORE).readAll({ filter: { eventTypes: ['PayoutMade'] } });
    await platform.app.get(PayoutEmailsProcessManager).handle(payout as Recorded<PayoutMade>);
    await settle(platform.app);
    expect(smtp.received).toHaveLength(1);
  });
});
