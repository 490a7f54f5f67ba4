import { describe, expect, it } from 'vitest';
import { webSettingsFromEnv } from '../../src-main/web/web-env.js';

describe('web mode settings from the environment', () => {
  it('takes a fixed token and the origins the page is reached by', () => {
    expect(
      webSettingsFromEnv({
        CLAWDBOT_WEB_TOKEN: 'x'.repeat(32),
        CLAWDBOT_WEB_ORIGINS: 'http://127.0.0.1:18790, http://localhost:18790/',
      }),
    ).toEqual({
      token: 'x'.repeat(32),
      origins: ['http://127.0.0.1:18790', 'http://localhost:18790'],
    });
    expect(webSettingsFromEnv({})).toEqual({ origins: [] });
  });

  it('refuses a short token and anything that is not an origin, naming the variable', () => {
    expect(() => webSettingsFromEnv({ CLAWDBOT_WEB_TOKEN: 'secret' })).toThrow(
      /^CLAWDBOT_WEB_TOKEN is 6 characters long; use at least 24/,
    );
    expect(() => webSettingsFromEnv({ CLAWDBOT_WEB_ORIGINS: 'http://a:1/path' })).toThrow(
      /^CLAWDBOT_WEB_ORIGINS: http:\/\/a:1\/path is not an origin/,
    );
    expect(() => webSettingsFromEnv({ CLAWDBOT_WEB_ORIGINS: 'localhost' })).toThrow(/is not a URL/);
  });
});
