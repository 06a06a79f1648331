import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { createTransport, type Transporter } from 'nodemailer';
import { CLOCK, type Clock, CommandRunner, deterministicId, ReadModels } from '@app/core';
import { type UserRow, usersQueries } from '@app/identity';
import type { PayoutEmailRequested } from '../../contract/accounting.events';
import { payoutEmailDecider, payoutEmailStream } from '../../domain/payout-email.decider';
import { ACCOUNTING_CONFIG, type AccountingConfig } from '../accounting.config';
import { SendPayoutEmailCommand } from './send-payout-email.command';

const SMTP_TIMEOUT_MS = 15_000;

/**
 * Requests a payout's email once, then delivers it: over SMTP with nodemailer when SMTP_URL is
 * set, otherwise into the local outbox (the email's own stream, listed by GET /accounting/emails).
 * Every outcome is an event on the email's stream, a failure too, so its status and last error are
 * visible while the process manager retries it; an email already delivered is not sent again.
 */
@Injectable()
@CommandHandler(SendPayoutEmailCommand)
export class SendPayoutEmailHandler implements ICommandHandler<SendPayoutEmailCommand>, OnApplicationShutdown {
  private readonly transport: Transporter | null;

  constructor(
    private readonly commands: CommandRunner,
    private readonly readModels: ReadModels,
    @Inject(ACCOUNTING_CONFIG) private readonly config: AccountingConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    // nodemailer waits minutes by default; a stalled server should fail the attempt (it is retried) rather than hold the worker.
    this.transport = config.smtpUrl
      ? createTransport({ url: config.smtpUrl, connectionTimeout: SMTP_TIMEOUT_MS, greetingTimeout: SMTP_TIMEOUT_MS, socketTimeout: SMTP_TIMEOUT_MS })
      : null;
  }

  async execute({ payout }: SendPayoutEmailCommand): Promise<void> {
    const emailId = deterministicId(payout.payoutId, 'email');
    const stream = payoutEmailStream(emailId);
    let { state } = await this.commands.load(payoutEmailDecider, stream);
    if (state.status === 'none') {
      const user = await this.recipient(payout.userId);
      ({ state } = await this.commands.run(payoutEmailDecider, stream, {
        type: 'RequestPayoutEmail',
        data: {
          emailId,
          payoutId: payout.payoutId,
          userId: payout.userId,
          to: user.email,
          subject: `Your UberPopug payout for ${payout.date}: ${payout.amount}`,
          text: `Hello ${user.name},\n\nyour balance of ${payout.date} was paid out: ${payout.amount}.\n\nUberPopug Inc. accounting`,
          amount: payout.amount,
          date: payout.date,
          requestedAt: this.now(),
        },
      }));
    }
    if (state.status === 'none' || state.status === 'sent' || state.status === 'outbox') return;
    await this.deliver(state.email);
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }

  /** A worker is a user long before a payout; should the users read model lag (a rebuild), the retry waits for it. */
  private async recipient(userId: string): Promise<UserRow> {
    const user = await this.readModels.use(usersQueries).byId(userId);
    if (!user) throw new Error(`User ${userId} is not in the users read model yet: cannot address the payout email`);
    return user;
  }

  /** Delivers the email, or records the failure and rethrows it so the delivery is retried. */
  private async deliver(email: PayoutEmailRequested['data']): Promise<void> {
    const stream = payoutEmailStream(email.emailId);
    if (!this.transport) {
      await this.commands.run(payoutEmailDecider, stream, { type: 'StoreEmailInOutbox', data: { emailId: email.emailId, storedAt: this.now() } });
      return;
    }
    try {
      await this.transport.sendMail({
        from: this.config.emailFrom,
        to: email.to,
        subject: email.subject,
        text: email.text,
        // The same Message-ID on a resend (after a crash between sending and recording) lets mail systems drop the copy.
        messageId: `<${email.emailId}@accounting.popug.io>`,
      });
    } catch (error) {
      const message = (error as Error).message;
      await this.commands.run(payoutEmailDecider, stream, { type: 'RecordEmailFailed', data: { emailId: email.emailId, error: message, failedAt: this.now() } });
      throw error;
    }
    await this.commands.run(payoutEmailDecider, stream, { type: 'RecordEmailSent', data: { emailId: email.emailId, sentAt: this.now() } });
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
