import { defineError } from '@app/core/domain';

export class UnknownItem extends defineError({
  code: 'ORDERS_UNKNOWN_ITEM',
  status: 422,
  meaning: 'An item names a provider that is not registered, or a sku its menu does not have; details.items names them',
}) {
  override readonly name = 'UnknownItem';

  constructor(items: readonly { providerId: string; sku: string }[]) {
    super(`Not on any menu: ${items.map((item) => `${item.providerId}/${item.sku}`).join(', ')}`, { items });
  }
}

export class TooLateToCancel extends defineError({ code: 'ORDERS_TOO_LATE_TO_CANCEL', status: 409, meaning: 'A sub-order of the order has been picked up: it can no longer be cancelled' }) {
  override readonly name = 'TooLateToCancel';

  constructor(orderId: string, subOrderId: string) {
    super(`Order ${orderId} cannot be cancelled: sub-order ${subOrderId} has been picked up`, { orderId, subOrderId });
  }
}

export class BadSignature extends defineError({
  code: 'ORDERS_BAD_SIGNATURE',
  status: 401,
  meaning: 'The callback’s X-Signature is missing or is not the HMAC-SHA256 of its body with the provider’s secret',
}) {
  override readonly name = 'BadSignature';

  constructor() {
    super('The callback’s X-Signature does not match its body');
  }
}

export class ProviderExists extends defineError({ code: 'ORDERS_PROVIDER_EXISTS', status: 409, meaning: 'A provider with that id is registered already' }) {
  override readonly name = 'ProviderExists';

  constructor(providerId: string) {
    super(`Provider ${providerId} is registered already`, { providerId });
  }
}
