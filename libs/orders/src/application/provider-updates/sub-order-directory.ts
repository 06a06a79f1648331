/** Where a provider's callback points: a sub-order of that provider, with its order. */
export interface SubOrderLocation {
  subOrderId: string;
  orderId: string;
  providerId: string;
}

/**
 * Finds the sub-order a callback is about, by its id or by the provider's reference, among the
 * sub-orders of that provider (null for none). Implemented over the orders read models.
 */
export abstract class SubOrderDirectory {
  abstract locate(providerId: string, by: { subOrderId?: string; providerRef?: string }): Promise<SubOrderLocation | null>;
}
