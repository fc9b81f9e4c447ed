// @vitest-environment jsdom
/** What the tab starts at its first line, outside Teams and when its server does not answer. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTab } from './boot';
import { TEST_CONFIG } from './testFixtures';

afterEach(() => vi.unstubAllGlobals());

const config = TEST_CONFIG;

describe('startTab', () => {
  it('outside Teams: fetches the configuration once, and asks for no token and no view', async () => {
    const fetchMock = vi.fn(async (_url: string) => new Response(JSON.stringify(config), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    const boot = startTab();
    expect(await boot.config).toEqual(config);
    await expect(boot.host).rejects.toThrow('notInTeams');
    await expect(boot.first.token).rejects.toThrow('notInTeams');
    await expect(boot.first.view).rejects.toThrow('notInTeams');
    expect(fetchMock.mock.calls.map(([u]) => String(u))).toEqual(['/api/config']);
  });

  it('when the configuration fails, Teams is not connected (its valid origins come from it)', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('Bad gateway', { status: 502 })),
    );
    const boot = startTab();
    await expect(boot.config).rejects.toThrow('/api/config answered 502');
    await expect(boot.host).rejects.toThrow('/api/config answered 502');
    await expect(boot.first.view).rejects.toThrow('/api/config answered 502');
  });
});
