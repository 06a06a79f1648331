import { ReactionGraph } from './reaction-graph';

const pricing = { name: 'pricing', eventTypes: ['TaskCreated'], emits: ['TaskPriced'] };
const accounts = { name: 'accounts', eventTypes: ['TaskPriced', 'TaskCompleted'], emits: ['AccountCredited'] };
const emails = { name: 'emails', eventTypes: ['PayoutMade'], emits: ['EmailSent'] };
const balances = { name: 'balances', eventTypes: ['AccountCredited'] };
const outbox = { name: 'outbox', eventTypes: ['EmailSent'] };
const board = { name: 'board', eventTypes: ['TaskCreated'] };

describe('ReactionGraph', () => {
  const graph = new ReactionGraph([pricing, accounts, emails], [balances, outbox, board]);

  it('finds the process managers upstream of a read model transitively, feeders first', () => {
    expect(graph.upstreamOf(['balances'])).toEqual([['pricing'], ['accounts']]);
    expect(graph.upstreamOf([balances])).toEqual([['pricing'], ['accounts']]);
  });

  it('puts independent process managers in one layer and leaves read models nothing feeds alone', () => {
    expect(graph.upstreamOf(['balances', 'outbox'])).toEqual([['emails', 'pricing'], ['accounts']]);
    expect(graph.upstreamOf(['board'])).toEqual([]);
    expect(graph.upstreamOf(['unknown'])).toEqual([]);
  });

  it('does not make a reaction its own upstream, and breaks a longer cycle so a wait ends', () => {
    const timers = { name: 'timers', eventTypes: ['TimerFired', 'HoldPlaced'], emits: ['TimerFired', 'HoldExpired'] };
    const ping = { name: 'ping', eventTypes: ['Pong'], emits: ['Ping'] };
    const pong = { name: 'pong', eventTypes: ['Ping'], emits: ['Pong'] };
    const cyclic = new ReactionGraph([timers, ping, pong], [{ name: 'holds', eventTypes: ['HoldExpired'] }, { name: 'pings', eventTypes: ['Ping'] }]);
    expect(cyclic.upstreamOf(['holds'])).toEqual([['timers']]);
    expect(cyclic.upstreamOf(['pings'])).toEqual([['pong'], ['ping']]);
  });

  it('refuses two process managers of one name', () => {
    expect(() => new ReactionGraph([pricing, { ...accounts, name: 'pricing' }], [])).toThrow('Two process managers are named pricing');
  });
});
