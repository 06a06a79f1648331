import { DomainError } from '@app/core/domain';

export class LedgerEventCodeExists extends DomainError {
  override readonly name = 'LedgerEventCodeExists';

  constructor(code: number) {
    super('LEDGER_EVENT_CODE_EXISTS', `Event code ${code} is already registered`, 409, { code });
  }
}

export class LedgerAccountExists extends DomainError {
  override readonly name = 'LedgerAccountExists';

  constructor(branch: string, account: string) {
    super('LEDGER_ACCOUNT_EXISTS', `Account ${account} of branch ${branch} is already open`, 409, { branch, account });
  }
}

/** The trace key was taken by a posting with another body; `fields` names what differs. */
export class LedgerTraceKeyConflict extends DomainError {
  override readonly name = 'LedgerTraceKeyConflict';

  constructor(traceKey: string, fields: readonly string[]) {
    super('LEDGER_TRACE_KEY_CONFLICT', `Trace key ${traceKey} was posted with another ${fields.join(', ')}`, 409, { traceKey, fields });
  }
}

export class LedgerEventCodeNotFound extends DomainError {
  override readonly name = 'LedgerEventCodeNotFound';

  constructor(code: number) {
    super('LEDGER_EVENT_CODE_NOT_FOUND', `Event code ${code} is not registered`, 422, { eventCode: code });
  }
}

export class LedgerEventCodeInactive extends DomainError {
  override readonly name = 'LedgerEventCodeInactive';

  constructor(code: number) {
    super('LEDGER_EVENT_CODE_INACTIVE', `Event code ${code} is inactive`, 422, { eventCode: code });
  }
}

export class LedgerDebitNotAllowed extends DomainError {
  override readonly name = 'LedgerDebitNotAllowed';

  constructor(code: number) {
    super('LEDGER_DEBIT_NOT_ALLOWED', `Event code ${code} does not allow debits`, 422, { eventCode: code });
  }
}

export class LedgerCreditNotAllowed extends DomainError {
  override readonly name = 'LedgerCreditNotAllowed';

  constructor(code: number) {
    super('LEDGER_CREDIT_NOT_ALLOWED', `Event code ${code} does not allow credits`, 422, { eventCode: code });
  }
}

export class LedgerAccountNotFound extends DomainError {
  override readonly name = 'LedgerAccountNotFound';

  constructor(branch: string, account: string) {
    super('LEDGER_ACCOUNT_NOT_FOUND', `Account ${account} of branch ${branch} is not open`, 422, { branch, account });
  }
}

export class LedgerAccountBlocked extends DomainError {
  override readonly name = 'LedgerAccountBlocked';

  constructor(branch: string, account: string) {
    super('LEDGER_ACCOUNT_BLOCKED', `Account ${account} of branch ${branch} is blocked`, 422, { branch, account });
  }
}

/** `dateRef` is after today or more than the retroactive window before it. */
export class LedgerDateRefOutOfWindow extends DomainError {
  override readonly name = 'LedgerDateRefOutOfWindow';

  constructor(dateRef: string, window: { from: string; to: string }) {
    super('LEDGER_DATEREF_OUT_OF_WINDOW', `dateRef ${dateRef} is outside ${window.from}..${window.to}`, 422, { dateRef, ...window });
  }
}
