import { Command } from '@nestjs/cqrs';
import type { Position } from '@app/eventstore';
import type { AdapterKind, MenuItem, Simulation } from '../../contract/orders.events';

export interface NewProvider {
  name: string;
  adapter: AdapterKind;
  baseUrl: string | null;
  secret: string;
  acceptTimeoutSeconds: number;
  simulation: Simulation | null;
}

export class RegisterProviderCommand extends Command<{ providerId: string; position: Position }> {
  constructor(readonly provider: NewProvider) {
    super();
  }
}

export class SetMenuCommand extends Command<{ providerId: string; position: Position }> {
  constructor(
    readonly providerId: string,
    readonly items: MenuItem[],
  ) {
    super();
  }
}
