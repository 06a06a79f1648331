import { ConfigError } from '@app/core';
import { loadReshuffleConfig } from './reshuffle.config';

describe('loadReshuffleConfig', () => {
  it('defaults to a minute before a reshuffle counts as abandoned', () => {
    expect(loadReshuffleConfig({})).toEqual({ abandonedAfterMs: 60_000 });
  });

  it('reads the setting', () => {
    expect(loadReshuffleConfig({ RESHUFFLE_ABANDONED_AFTER_MS: '1500' })).toEqual({ abandonedAfterMs: 1500 });
  });

  it.each(['0', '-1', '2.5', '0x10', '1e3', 'soon'])('refuses %s', (value) => {
    expect(() => loadReshuffleConfig({ RESHUFFLE_ABANDONED_AFTER_MS: value })).toThrow(ConfigError);
  });
});
