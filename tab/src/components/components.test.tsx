// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, within, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FluentProvider, teamsLightTheme } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { buildDelegationView } from '../../../shared/domain/delegationView';
import { DelegationPage } from './DelegationPage';
import { ErrorState, LoadingState, NotInTeams } from './States';
import type { TabErrorCode } from '../errors';
import { App } from '../App';
import type { TeamsHost } from '../teams';
import { TEST_CONFIG, testHost } from '../testFixtures';

afterEach(cleanup);

// jsdom has no ResizeObserver; Fluent's MessageBar measures itself with one.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

const wrap = (ui: ReactNode) => render(<FluentProvider theme={teamsLightTheme}>{ui}</FluentProvider>);

const users = [
  { id: 'a', displayName: 'Ben Assist', userPrincipalName: 'ben@t', jobTitle: 'Assistant', department: 'Office' },
  { id: 'b', displayName: 'Cleo Assist', userPrincipalName: 'cleo@t', jobTitle: null, department: null },
  { id: 'c', displayName: 'Ada Exec', userPrincipalName: 'ada@t', jobTitle: 'CEO', department: 'Board' },
];
const presence = (id: string, availability: string, activity = availability, extra = {}) => ({
  id,
  availability,
  activity,
  outOfOfficeSettings: { isOutOfOffice: false, message: null },
  ...extra,
});
const view = buildDelegationView({
  me: { id: 'me', displayName: 'Me', userPrincipalName: 'me@t' },
  delegates: [
    { id: 'a', isActive: true, allowedActions: { receiveCalls: true, makeCalls: true } },
    { id: 'b', isActive: false, allowedActions: { receiveCalls: true } },
  ],
  delegators: [{ id: 'c', isActive: true, allowedActions: { pickUpHeldCalls: true } }],
  users,
  presences: [
    presence('a', 'Available', 'Available', { statusMessage: { message: { content: 'Taking calls' } } }),
    presence('b', 'Away'),
    presence('c', 'Offline', 'OffWork', { outOfOfficeSettings: { isOutOfOffice: true, message: 'Back Monday' } }),
  ],
});
const actions = { onCall: vi.fn(), onChat: vi.fn() };

describe('DelegationPage', () => {
  it('shows who can take my call, my delegates and my delegators with presence and permissions in words', () => {
    wrap(<DelegationPage view={view} photos={{}} actions={actions} />);
    expect(screen.getByRole('main', { name: 'Delegate Desk' })).toBeTruthy();
    expect(screen.getByTestId('now-summary').textContent).toBe('Ben Assist can take your call now.');
    const delegates = screen.getByRole('list', { name: 'My delegates' });
    const ben = within(delegates).getByRole('group', { name: 'Ben Assist' });
    expect(within(ben).getByTestId('presence').textContent).toBe('Available');
    expect(within(ben).getByTestId('status-message').textContent).toContain('Taking calls');
    expect(within(ben).getByText('Make calls')).toBeTruthy();
    expect(within(ben).getByText('Receive calls')).toBeTruthy();
    const cleo = within(delegates).getByRole('group', { name: 'Cleo Assist' });
    expect(within(cleo).getByText('Inactive delegation')).toBeTruthy();
    expect(within(cleo).getByTestId('verdict').textContent).toBe(
      'Your delegation to Cleo is not active, so they do not take your calls now.',
    );
    const ada = within(screen.getByRole('list', { name: 'People I take calls for' })).getByRole('group', { name: 'Ada Exec' });
    expect(within(ada).getByTestId('ooo').textContent).toBe('Out of office: Back Monday');
    expect(within(ada).getByText('Pick up held calls')).toBeTruthy();
  });

  it('puts the reachable delegates at the top, one compact row each with a call button', async () => {
    const onCall = vi.fn();
    wrap(<DelegationPage view={view} photos={{}} actions={{ ...actions, onCall }} />);
    const now = screen.getByRole('list', { name: 'Delegates who can take your call now' });
    expect(
      within(now)
        .getAllByRole('listitem')
        .map((li) => li.getAttribute('aria-label')),
    ).toEqual(['Ben Assist']);
    expect(within(now).queryByText('Make calls')).toBeNull(); // the details stay in the cards below
    await userEvent.click(within(now).getByRole('button', { name: 'Call Ben Assist now' }));
    expect(onCall.mock.calls.map(([e, video]) => [e.person.userPrincipalName, video])).toEqual([['ben@t', false]]);
  });

  it('refreshes on request, showing that it is busy, and announces who can take a call politely', async () => {
    let finish!: () => void;
    const onRefresh = vi.fn(() => new Promise<void>((r) => (finish = r)));
    wrap(<DelegationPage view={view} photos={{}} actions={actions} onRefresh={onRefresh} />);
    expect(screen.getByTestId('now-summary').getAttribute('aria-live')).toBe('polite');
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(onRefresh).toHaveBeenCalledTimes(1);
    const busy = screen.getByRole('button', { name: 'Refreshing…' });
    expect(busy.hasAttribute('disabled') || busy.getAttribute('aria-disabled') === 'true').toBe(true);
    finish();
    await screen.findByRole('button', { name: 'Refresh' });
  });

  it('runs call, video call and chat for the right person', async () => {
    wrap(<DelegationPage view={view} photos={{}} actions={actions} />);
    const ben = within(screen.getByRole('list', { name: 'My delegates' })).getByRole('group', { name: 'Ben Assist' });
    await userEvent.click(within(ben).getByRole('button', { name: 'Call Ben Assist' }));
    await userEvent.click(within(ben).getByRole('button', { name: 'Video call Ben Assist' }));
    await userEvent.click(within(ben).getByRole('button', { name: 'Chat with Ben Assist' }));
    expect(actions.onCall.mock.calls.map(([e, video]) => [e.person.userPrincipalName, video])).toEqual([
      ['ben@t', false],
      ['ben@t', true],
    ]);
    expect(actions.onChat.mock.calls[0]![0].person.userPrincipalName).toBe('ben@t');
  });

  it('explains delegation when there is none', () => {
    const empty = buildDelegationView({
      me: { id: 'me', displayName: 'Me', userPrincipalName: 'me@t' },
      delegates: [],
      delegators: [],
      users: [],
      presences: [],
    });
    wrap(<DelegationPage view={empty} photos={{}} actions={actions} />);
    const section = screen.getByRole('region', { name: /My delegates/ });
    expect(within(section).getByText(/Settings › Calls › Manage delegates/)).toBeTruthy();
    expect(screen.getByText(/Nobody has made you their delegate/)).toBeTruthy();
  });

  it('shows a banner when the data is older than it should be', () => {
    wrap(
      <DelegationPage
        view={view}
        photos={{}}
        actions={actions}
        banner={{ intent: 'warning', title: 'Showing earlier information', message: 'Retrying.' }}
      />,
    );
    expect(screen.getByText('Showing earlier information')).toBeTruthy();
  });
});

describe('states', () => {
  it('shows a loading skeleton', () => {
    wrap(<LoadingState />);
    expect(screen.getByRole('main').getAttribute('aria-busy')).toBe('true');
  });

  it.each<[TabErrorCode, string, string]>([
    ['consentRequired', 'Permission needed', 'Grant permission'],
    ['claimsChallenge', 'Sign-in required', 'Sign in again'],
    ['throttled', 'Teams is busy', 'Try again'],
  ])('explains %s and offers the next step', async (code, title, label) => {
    const run = vi.fn();
    wrap(<ErrorState error={{ code, message: 'msg' }} action={{ label, run }} />);
    expect(screen.getByRole('alert').textContent).toContain(title);
    await userEvent.click(screen.getByRole('button', { name: label }));
    expect(run).toHaveBeenCalled();
  });

  it('shows the reference an administrator can look up', () => {
    wrap(<ErrorState error={{ code: 'authConfiguration', message: 'Not set up', requestId: '6f1c2e0a-0000-4000-8000-000000000001' }} />);
    expect(screen.getByRole('alert').textContent).toContain('Reference for your administrator: 6f1c2e0a-0000-4000-8000-000000000001');
  });

  it('tells what an admin must run for this user when delegation is off: per user, copyable, no retry', () => {
    wrap(<ErrorState error={{ code: 'delegationDisabled', message: 'Call delegation is turned off for you' }} userPrincipalName="eve@t" />);
    const alert = screen.getByRole('alert');
    expect(within(alert).getByTestId('code').textContent).toContain('Grant-CsTeamsCallingPolicy -Identity "eve@t" -PolicyName');
    expect(alert.textContent).not.toContain('-Identity Global');
    expect(within(alert).getByRole('button', { name: /^Copy/ })).toBeTruthy();
    expect(within(alert).queryByRole('button', { name: 'Try again' })).toBeNull();
    // Sentences never run together.
    expect(alert.textContent).toMatch(/for you\. A Teams administrator/);
  });

  it('keeps a space between the message and the reference', () => {
    wrap(<ErrorState error={{ code: 'unavailable', message: 'Try again shortly.', requestId: 'r-1' }} />);
    expect(screen.getByRole('alert').textContent).toMatch(/shortly\. Reference/);
  });

  it('says to open the tab in Teams, with the local host link in development', () => {
    wrap(<NotInTeams localHostOrigin="http://localhost:3980" />);
    expect(screen.getByRole('link').getAttribute('href')).toBe('http://localhost:3980/');
  });
});

describe('App', () => {
  const config = TEST_CONFIG;
  const fakeHost = (overrides: Partial<TeamsHost> = {}) => testHost({ theme: 'dark', ...overrides });
  const respond = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  it('follows the Teams theme and loads the view with the SSO token', async () => {
    const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
      expect(new Headers(init?.headers).get('authorization')).toBe('Bearer sso-token');
      return String(url).includes('/photo') ? new Response(null, { status: 404 }) : respond(200, view);
    });
    vi.stubGlobal('fetch', fetchMock);
    const { container } = render(<App config={config} connect={async () => fakeHost()} />);
    await screen.findByText('Ben Assist can take your call now.');
    expect(container.querySelector('[data-theme]')!.getAttribute('data-theme')).toBe('dark');
    vi.unstubAllGlobals();
  });

  it('takes the token and view asked for before it rendered, then asks Teams and the server as usual', async () => {
    const getToken = vi.fn(async () => 'later-token');
    const fetchMock = vi.fn(async (url: string) =>
      String(url).includes('/photo') ? new Response(null, { status: 404 }) : respond(200, view),
    );
    vi.stubGlobal('fetch', fetchMock);
    const first = { token: Promise.resolve('early-token'), view: Promise.resolve(view) };
    render(<App config={config} connect={async () => fakeHost({ getToken })} first={first} />);
    await screen.findByText('Ben Assist can take your call now.');
    expect(getToken).not.toHaveBeenCalled();
    expect(fetchMock.mock.calls.filter(([u]) => String(u).startsWith('/api/delegation'))).toEqual([]);
    document.dispatchEvent(new Event('visibilitychange'));
    await waitFor(() => expect(fetchMock.mock.calls.some(([u]) => String(u).startsWith('/api/delegation'))).toBe(true));
    const [, init] = fetchMock.mock.calls.find(([u]) => String(u).startsWith('/api/delegation'))! as unknown as [string, RequestInit];
    expect(new Headers(init.headers).get('authorization')).toBe('Bearer later-token');
    vi.unstubAllGlobals();
  });

  it('reports a failure of the token asked for early as it would its own', async () => {
    const token = Promise.reject(new Error('resourceDisabled'));
    token.catch(() => undefined); // taken once the page renders
    const first = { token, view: new Promise<never>(() => {}) };
    render(<App config={config} connect={async () => fakeHost()} first={first} />);
    expect((await screen.findByRole('alert')).textContent).toContain('Single sign-on is not set up correctly');
  });

  it('runs the consent popup and reloads when consent is missing', async () => {
    let consented = false;
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        consented ? respond(200, view) : respond(403, { error: { code: 'consentRequired', message: 'Needs permission' } }),
      ),
    );
    const host = fakeHost({
      authenticate: vi.fn(async (url: string) => {
        consented = true;
        return url;
      }),
    });
    render(<App config={config} connect={async () => host} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Grant permission' }));
    await screen.findByText('Ben Assist can take your call now.');
    const url = new URL((host.authenticate as ReturnType<typeof vi.fn>).mock.calls[0]![0] as string);
    expect(url.searchParams.get('login_hint')).toBe('eve@t');
    expect(url.searchParams.get('redirect_uri')).toMatch(/\/auth-end\.html$/);
    vi.unstubAllGlobals();
  });

  it('re-acquires the SSO token with the claims of a challenge', async () => {
    const getToken = vi.fn(async (claims?: string) => (claims ? 'stepped-up' : 'plain'));
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_u: string, init?: RequestInit) =>
        new Headers(init?.headers).get('authorization') === 'Bearer stepped-up'
          ? respond(200, view)
          : respond(401, { error: { code: 'claimsChallenge', message: 'MFA', claims: '{"access_token":{}}' } }),
      ),
    );
    render(<App config={config} connect={async () => fakeHost({ getToken })} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Sign in again' }));
    await screen.findByText('Ben Assist can take your call now.');
    expect(getToken).toHaveBeenLastCalledWith('{"access_token":{}}');
    // The next refresh asks Teams for a token as usual, without the challenge's claims.
    const calls = getToken.mock.calls.length;
    document.dispatchEvent(new Event('visibilitychange'));
    await waitFor(() => expect(getToken.mock.calls.length).toBeGreaterThan(calls));
    expect(getToken).toHaveBeenLastCalledWith(undefined);
    vi.unstubAllGlobals();
  });

  it('shows the newest data when an older load finishes last', async () => {
    const nobody = buildDelegationView({
      me: { id: 'me', displayName: 'Me', userPrincipalName: 'me@t' },
      delegates: [],
      delegators: [],
      users: [],
      presences: [],
    });
    let calls = 0;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        if (String(url).includes('/photo')) return new Response(null, { status: 404 });
        if (String(url).includes('/refresh')) return new Response(null, { status: 204 });
        calls += 1;
        // The first load (older data) answers only after the second (newer data).
        if (calls === 1) return new Promise<Response>((r) => setTimeout(() => r(respond(200, view)), 150));
        return respond(200, nobody);
      }),
    );
    render(<App config={config} connect={async () => fakeHost()} />);
    await waitFor(() => expect(calls).toBe(1));
    document.dispatchEvent(new Event('visibilitychange'));
    const summary = async () => (await screen.findByTestId('now-summary')).textContent;
    await waitFor(async () => expect(await summary()).toMatch(/no delegates/));
    await new Promise((r) => setTimeout(r, 250));
    expect(await summary()).toMatch(/no delegates/);
    vi.unstubAllGlobals();
  });

  it('explains a single sign-on set-up problem once, without retrying it', async () => {
    const getToken = vi.fn(async () => Promise.reject(new Error('resourceDisabled')));
    render(<App config={config} connect={async () => fakeHost({ getToken })} />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Single sign-on is not set up correctly');
    expect(alert.textContent).toContain('resourceDisabled');
    await new Promise((r) => setTimeout(r, 100));
    expect(getToken).toHaveBeenCalledTimes(1);
  });

  it('moves focus to the page heading when Try again brings the data', async () => {
    let ok = false;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) =>
        String(url).includes('/photo')
          ? new Response(null, { status: 404 })
          : ok
            ? respond(200, view)
            : respond(503, { error: { code: 'graphError', message: 'Failed' } }),
      ),
    );
    render(<App config={config} connect={async () => fakeHost()} />);
    const retry = await screen.findByRole('button', { name: 'Try again' });
    ok = true;
    await userEvent.click(retry);
    await screen.findByText('Ben Assist can take your call now.');
    // Someone with both roles lands on the list that leads (the people they take calls for, by default).
    await waitFor(() => expect(document.activeElement?.id).toBe('delegators-heading'));
    vi.unstubAllGlobals();
  });

  it('shows the not-in-Teams page when Teams does not answer', async () => {
    render(<App config={config} connect={async () => Promise.reject(new Error('notInTeams'))} />);
    await waitFor(() => expect(screen.getByText('Open Delegate Desk in Microsoft Teams')).toBeTruthy());
  });
});
