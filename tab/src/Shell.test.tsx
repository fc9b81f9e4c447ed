// @vitest-environment jsdom
/** The shell: painted before anything has answered, and what it says when the server cannot be reached. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { buildDelegationView } from '../../shared/domain/delegationView';
import type { Boot } from './boot';
import type { TeamsHost } from './teams';
import { Shell } from './Shell';
import { rememberTheme } from './themes';
import { TEST_CONFIG, testHost } from './testFixtures';

afterEach(() => {
  cleanup();
  localStorage.clear();
  vi.unstubAllGlobals();
});

globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

const config = TEST_CONFIG;
const view = buildDelegationView({
  me: { id: 'me', displayName: 'Eve Exec', userPrincipalName: 'eve@t' },
  delegates: [],
  delegators: [],
  users: [],
  presences: [],
});
const host = (theme: TeamsHost['theme']) => testHost({ theme });
const never = <T,>() => new Promise<T>(() => {});

function fakeBoot(overrides: Partial<Boot> = {}): Boot {
  return {
    config: never(),
    page: import('./App'),
    host: never(),
    first: { token: never(), view: never() },
    ...overrides,
  };
}

describe('Shell', () => {
  it('shows the loading page at once, before the configuration or Teams answer', () => {
    render(<Shell boot={fakeBoot()} />);
    expect(screen.getByRole('main', { name: 'Loading your delegates' })).toBeTruthy();
  });

  it('paints in the theme Teams had last time, and follows the one Teams has now', async () => {
    rememberTheme('dark');
    let connected!: (h: TeamsHost) => void;
    const { container } = render(<Shell boot={fakeBoot({ host: new Promise((r) => (connected = r)) })} />);
    await waitFor(() => expect(container.querySelector('[data-theme]')?.getAttribute('data-theme')).toBe('dark'));
    connected(host('contrast'));
    await waitFor(() => expect(container.querySelector('[data-theme]')?.getAttribute('data-theme')).toBe('contrast'));
  });

  it('shows the page with the view loaded early, once its code and the configuration are there', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify({ watches: [], limit: 0 }), { status: 200 })),
    );
    const boot = fakeBoot({
      config: Promise.resolve(config),
      host: Promise.resolve(host('default')),
      first: { token: Promise.resolve('sso-token'), view: Promise.resolve(view) },
    });
    render(<Shell boot={boot} />);
    expect(await screen.findByRole('main', { name: 'Delegate Desk' }, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'My delegates (0)' })).toBeTruthy();
  });

  it('says it could not reach its server, with Try again, when the configuration fails', async () => {
    const reload = vi.fn();
    vi.stubGlobal('location', { ...location, reload });
    render(<Shell boot={fakeBoot({ config: Promise.reject(new Error('/api/config answered 502')) })} />);
    const alert = await screen.findByRole('alert', {}, { timeout: 5000 });
    expect(alert.textContent).toContain('Delegate Desk could not reach its server.');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('says the same when the page itself cannot be fetched', async () => {
    render(<Shell boot={fakeBoot({ config: Promise.resolve(config), page: Promise.reject(new TypeError('Failed to fetch')) })} />);
    expect((await screen.findByRole('alert', {}, { timeout: 5000 })).textContent).toContain('could not reach its server');
  });
});
