// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { act, renderHook, waitFor } from '@testing-library/react';
import { buildDelegationView } from '../../shared/domain/delegationView';
import type { WatchList, WatchResult } from '../../shared/api';
import { ApiRequestError } from './api';
import type { TeamsHost } from './teams';
import { useWatches, type WatchDeps } from './useWatches';

const view = buildDelegationView({
  me: { id: 'me', displayName: 'Me', userPrincipalName: 'me@t' },
  delegates: [],
  delegators: [{ id: 'a', isActive: true, allowedActions: { receiveCalls: true } }],
  users: [{ id: 'a', displayName: 'Ada Exec', userPrincipalName: 'ada@t' }],
  presences: [{ id: 'a', availability: 'Busy', activity: 'InAMeeting' }],
});
const ada = view.delegators[0]!;
const host = { getToken: vi.fn(async () => 'fresh-token'), openLink: vi.fn(async () => {}) } as unknown as TeamsHost;
const watch = {
  personId: 'a',
  displayName: 'Ada Exec',
  condition: 'free' as const,
  until: '2026-03-02T18:00:00Z',
  createdAt: '2026-03-02T10:00:00Z',
};

function setup(deps: WatchDeps) {
  return renderHook(() => useWatches(host, 'view-token', deps));
}

describe('useWatches', () => {
  it('reads the watches with the view’s token and marks whom I wait for', async () => {
    const fetcher = vi.fn(async (): Promise<WatchList> => ({ watches: [watch], limit: 100 }));
    const { result } = setup({ fetcher });
    await waitFor(() => expect(result.current.watching.a?.displayName).toBe('Ada Exec'));
    expect(fetcher).toHaveBeenCalledWith('view-token');
  });

  it('hides the button on a server without watches', async () => {
    const fetcher = vi.fn(async () => Promise.reject(new ApiRequestError(404, { code: 'notFound', message: 'no' })));
    const { result } = setup({ fetcher });
    await waitFor(() => expect(result.current.supported).toBe(false));
  });

  it.each<[string, () => Promise<WatchResult>, RegExp, boolean]>([
    ['watching', async () => ({ outcome: 'watching', watch }), /^I'll message you in chat when Ada Exec is available \(until /, true],
    ['already met', async () => ({ outcome: 'alreadyMet', presence: null }), /^Ada Exec is available now/, false],
    [
      'at the limit',
      async () => Promise.reject(new ApiRequestError(409, { code: 'watchLimit', message: 'You are waiting for 100 people already.' })),
      /^You are waiting for 100 people already\. Stop notifying about someone else first\.$/,
      false,
    ],
    [
      'without the bot',
      async () =>
        Promise.reject(
          new ApiRequestError(409, {
            code: 'botNotInstalled',
            message: 'x',
            botChatUrl: 'https://teams.microsoft.com/l/chat/0/0?users=28%3Ab',
          }),
        ),
      /add the Delegate Desk bot first/,
      false,
    ],
    ['server unreachable', async () => Promise.reject(new TypeError('fetch failed')), /could not reach its server/, false],
  ])('notify: %s', async (_name, creator, words, watching) => {
    const { result } = setup({ fetcher: async () => ({ watches: [], limit: 100 }), creator: vi.fn(creator) });
    await act(() => result.current.notify(ada));
    expect(result.current.notes.a?.text).toMatch(words);
    expect(Boolean(result.current.watching.a)).toBe(watching);
    expect(result.current.busy.a).toBe(false);
  });

  it('keeps the bot chat link for the button that opens it', async () => {
    const url = 'https://teams.microsoft.com/l/chat/0/0?users=28%3Ab';
    const creator = vi.fn(async () => Promise.reject(new ApiRequestError(409, { code: 'botNotInstalled', message: 'x', botChatUrl: url })));
    const { result } = setup({ fetcher: async () => ({ watches: [], limit: 100 }), creator });
    await act(() => result.current.notify(ada));
    expect(result.current.notes.a).toMatchObject({ kind: 'problem', botChatUrl: url });
  });

  it('stops a watch', async () => {
    const deleter = vi.fn(async () => {});
    const { result } = setup({ fetcher: async () => ({ watches: [watch], limit: 100 }), deleter });
    await waitFor(() => expect(result.current.watching.a).toBeTruthy());
    await act(() => result.current.stop(ada));
    expect(deleter).toHaveBeenCalledWith('fresh-token', 'a');
    expect(result.current.watching.a).toBeUndefined();
    expect(result.current.notes.a?.text).toBe('You will not be notified about Ada Exec.');
  });
});
