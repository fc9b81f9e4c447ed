import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AuthConfigurationError,
  AuthServiceError,
  ClaimsChallengeError,
  ConsentRequiredError,
  DelegationDisabledError,
  GraphForbiddenError,
  GraphNotFoundError,
  GraphThrottledError,
  GraphUnavailableError,
  InvalidAssertionError,
} from '../../shared';
import { explain } from './respond';

afterEach(() => vi.restoreAllMocks());

describe('explain: every failure becomes a reply a person understands', () => {
  it.each([
    [new ConsentRequiredError(['CallDelegation.Read']), { kind: 'signIn', reason: 'consent' }],
    [new ClaimsChallengeError('{"access_token":{}}'), { kind: 'signIn', reason: 'claims' }],
    [new InvalidAssertionError('expired', 'expired'), { kind: 'signIn', reason: 'expired' }],
    [new DelegationDisabledError('off'), { kind: 'message', text: expect.stringContaining('AllowDelegation $true') }],
    [new GraphThrottledError('busy', 2), { kind: 'message', text: expect.stringContaining('Teams is busy') }],
    [new GraphUnavailableError('down'), { kind: 'message', text: expect.stringContaining('not answering') }],
    [new AuthServiceError('down'), { kind: 'message', text: expect.stringContaining('Sign-in is unavailable') }],
    [new GraphNotFoundError('gone'), { kind: 'message', text: "I couldn't find that person or item." }],
    [new Error('boom'), { kind: 'message', text: 'Something went wrong on my side. Please try again.' }],
  ])('%s', (error, reply) => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(explain(error)).toMatchObject(reply);
  });

  it('sends configuration and permission problems to the administrator, and logs what to fix', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(explain(new AuthConfigurationError('AADSTS7000215', 'Entra ID refused the app (AADSTS7000215).'))).toMatchObject({
      text: expect.stringContaining('ask your administrator'),
    });
    expect(explain(new GraphForbiddenError('Missing Presence.Read.All', ['Presence.Read.All']))).toMatchObject({
      text: expect.stringContaining('ask your administrator to grant it'),
    });
    expect(warn.mock.calls.map((c) => String(c[0])).join(' ')).toMatch(/AADSTS7000215.*Presence\.Read\.All/);
  });
});
