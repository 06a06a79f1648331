import { defineError } from '@app/core/domain';

export class LedgerEventCodeExists extends defineError({ code: 'LEDGER_EVENT_CODE_EXISTS', status: 409, meaning: 'That event code is already registered' }) {
  override readonly name = 'LedgerEventCodeExists';

  constructor(code: number) {
    super(`Event code ${code} is already registered`, { code });
  }
}

export class LedgerAccountExists extends defineError({ code: 'LEDGER_ACCOUNT_EXISTS', status: 409, meaning: 'That account of that branch is already open' }) {
  override readonly name = 'LedgerAccountExists';

  constructor(branch: string, account: string) {
    super(`Account ${account} of branch ${branch} is already open`, { branch, account });
  }
}

/**
 * The trace key was taken by a posting with another body. `details.fields` names what differs the
 * way every error names fields (VALIDATION_FAILED's shape: each field with what is wrong with it),
 * so clients read one shape; `differing` keeps them as a list, in body order.
 */
export class LedgerTraceKeyConflict extends defineError({
  code: 'LEDGER_TRACE_KEY_CONFLICT',
  status: 409,
  meaning: 'The trace key was posted before with another body; `details.fields` names the fields that differ',
}) {
  override readonly name = 'LedgerTraceKeyConflict';

  constructor(
    traceKey: string,
    readonly differing: readonly string[],
  ) {
    super(`Trace key ${traceKey} was posted with another ${differing.join(', ')}`, {
      traceKey,
      fields: Object.fromEntries(differing.map((field) => [field, [`${field} differs from the first posting of this trace key`]])),
    });
  }
}

export class LedgerEventCodeNotFound extends defineError({ code: 'LEDGER_EVENT_CODE_NOT_FOUND', status: 422, meaning: 'The posting names an event code that is not registered' }) {
  override readonly name = 'LedgerEventCodeNotFound';

  constructor(code: number) {
    super(`Event code ${code} is not registered`, { eventCode: code });
  }
}

export class LedgerEventCodeInactive extends defineError({ code: 'LEDGER_EVENT_CODE_INACTIVE', status: 422, meaning: 'The posting names an inactive event code' }) {
  override readonly name = 'LedgerEventCodeInactive';

  constructor(code: number) {
    super(`Event code ${code} is inactive`, { eventCode: code });
  }
}

export class LedgerDebitNotAllowed extends defineError({ code: 'LEDGER_DEBIT_NOT_ALLOWED', status: 422, meaning: 'The posting’s event code does not allow debits' }) {
  override readonly name = 'LedgerDebitNotAllowed';

  constructor(code: number) {
    super(`Event code ${code} does not allow debits`, { eventCode: code });
  }
}

export class LedgerCreditNotAllowed extends defineError({ code: 'LEDGER_CREDIT_NOT_ALLOWED', status: 422, meaning: 'The posting’s event code does not allow credits' }) {
  override readonly name = 'LedgerCreditNotAllowed';

  constructor(code: number) {
    super(`Event code ${code} does not allow credits`, { eventCode: code });
  }
}

export class LedgerAccountNotFound extends defineError({ code: 'LEDGER_ACCOUNT_NOT_FOUND', status: 422, meaning: 'The posting names an account that is not open' }) {
  override readonly name = 'LedgerAccountNotFound';

  constructor(branch: string, account: string) {
    super(`Account ${account} of branch ${branch} is not open`, { branch, account });
  }
}

export class LedgerAccountBlocked extends defineError({ code: 'LEDGER_ACCOUNT_BLOCKED', status: 422, meaning: 'The posting’s account is blocked until it is unblocked' }) {
  override readonly name = 'LedgerAccountBlocked';

  constructor(branch: string, account: string) {
    super(`Account ${account} of branch ${branch} is blocked`, { branch, account });
  }
}

/** `dateRef` is after today or more than the retroactive window before it. */
export class LedgerDateRefOutOfWindow extends defineError({
  code: 'LEDGER_DATEREF_OUT_OF_WINDOW',
  status: 422,
  meaning: 'The posting’s dateRef is after today or more than LEDGER_RETROACTIVE_DAYS before it',
}) {
  override readonly name = 'LedgerDateRefOutOfWindow';

  constructor(dateRef: string, window: { from: string; to: string }) {
    super(`dateRef ${dateRef} is outside ${window.from}..${window.to}`, { dateRef, ...window });
  }
}

export class LedgerWebhookDeliveryDelivered extends defineError({
  code: 'LEDGER_WEBHOOK_DELIVERY_DELIVERED',
  status: 409,
  meaning: 'The webhook delivery was delivered already: there is nothing to retry',
}) {
  override readonly name = 'LedgerWebhookDeliveryDelivered';

  constructor(deliveryId: string) {
    super(`Delivery ${deliveryId} was delivered already`, { deliveryId });
  }
}
