import { ConfigError } from '@app/core';
import { loadReshuffleConfig } from './reshuffle.config';

describe('loadReshuffleConfig', () => {
  it('defaults to a minute before a reshuffle counts as abandoned, checked every 30 s', () => {
    expect(loadReshuffleConfig({})).toEqual({ abandonedAfterMs: 60_000, checkEveryMs: 30_000 });
  });

  it('reads both settings', () => {
    expect(loadReshuffleConfig({ RESHUFFLE_ABANDONED_AFTER_MS: '1500', RESHUFFLE_CHECK_MS: '250' })).toEqual({ abandonedAfterMs: 1500, checkEveryMs: 250 });
  });

  it.each(['0', '-1', '2.5', '0x10', '1e3', 'soon'])('refuses %s', (value) => {
    expect(() => loadReshuffleConfig({ RESHUFFLE_CHECK_MS: value })).toThrow(ConfigError);
    expect(() => loadReshuffleConfig({ RESHUFFLE_ABANDONED_AFTER_MS: value })).toThrow(ConfigError);
  });
});
