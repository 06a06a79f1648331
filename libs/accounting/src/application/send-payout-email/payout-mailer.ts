import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import type { PayoutEmailRequested } from '../../domain/accounting.events';
import { payoutEmailDecider, payoutEmailStream } from '../../domain/payout-email.decider';
import { ACCOUNTING_CONFIG, type AccountingConfig } from '../accounting.config';

const SMTP_TIMEOUT_MS = 15_000;

/**
 * Delivers a requested payout email: over SMTP with nodemailer when SMTP_URL is set, otherwise into
 * the local outbox (the email's own stream, listed by GET /accounting/emails). Every outcome is an
 * event on the email's stream, a failure too, so its status and last error are visible while the
 * process manager retries it.
 */
@Injectable()
export class PayoutMailer implements OnApplicationShutdown {
  private readonly transport: Transporter | null;

  constructor(
    private readonly commands: CommandRunner,
    @Inject(ACCOUNTING_CONFIG) private readonly config: AccountingConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    // nodemailer waits minutes by default; a stalled server should fail the attempt (it is retried) rather than hold the worker.
    this.transport = config.smtpUrl
      ? createTransport({ url: config.smtpUrl, connectionTimeout: SMTP_TIMEOUT_MS, greetingTimeout: SMTP_TIMEOUT_MS, socketTimeout: SMTP_TIMEOUT_MS })
      : null;
  }

  /** Delivers the email, or records the failure and rethrows it so the delivery is retried. */
  async deliver(email: PayoutEmailRequested['data']): Promise<void> {
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

  onApplicationShutdown(): void {
    this.transport?.close();
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
