/**
 * The port payments go through. A charge is made under an idempotency `key`: the same key again
 * is the same charge (never a second one), whoever retries it. A provider that refuses throws
 * PaymentDeclined; one that fails or cannot be reached throws PaymentUnavailable (nothing kept).
 */
export interface PaymentProvider {
  charge(request: { key: string; amountCents: number; token: string }): Promise<{ paymentId: string }>;
  /**
   * Gives back the charge made under `key`, once however often asked. `refunded: false` when no
   * charge was made under it (the key is then void: a charge arriving later is refused).
   */
  refund(request: { key: string }): Promise<{ refunded: boolean; paymentId: string | null }>;
}

export const PAYMENT_PROVIDER = Symbol('PAYMENT_PROVIDER');
