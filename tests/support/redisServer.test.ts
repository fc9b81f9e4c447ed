import { describe, expect, it } from 'vitest';
import { redisServerBinary } from './redisServer';

describe('the test Redis', () => {
  it('fails with a clear message when redis-server is not installed', () => {
    expect(() => redisServerBinary({ REDIS_SERVER_BIN: '/nonexistent/redis-server' })).toThrow(
      /redis-server is not installed.*apt-get install -y redis-server/,
    );
    expect(redisServerBinary()).toMatch(/redis-server$/);
  });
});
