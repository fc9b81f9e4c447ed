import { describe, expect, it } from 'vitest';
import { Tenant, MAX_DELEGATES_PER_DELEGATOR, TenantError } from './tenant';
import { TenantClock } from './clock';
import { parseSeed } from './seedTypes';
import { testSeed } from '../testkit';

const ADA = '00000000-0000-4000-8000-000000000001';
const BEN = '00000000-0000-4000-8000-000000000002';

function tenant() {
  return new Tenant(parseSeed(testSeed()), { clock: new TenantClock(new Date('2026-03-02T10:00:00Z')) });
}

describe('Tenant', () => {
  it('resolves users by id or UPN, case-insensitively, and bare local parts get the domain', () => {
    const t = tenant();
    expect(t.findUser(ADA)?.userPrincipalName).toBe('ada@fabrikam.test');
    expect(t.findUser('ADA@Fabrikam.Test')?.id).toBe(ADA);
    expect(t.findUser('ada')?.id).toBe(ADA);
    expect(t.findUser('nobody')).toBeUndefined();
  });

  it('refuses a seed with a duplicate user', () => {
    const seed = testSeed();
    seed.users.push({ ...seed.users[0]! });
    expect(() => new Tenant(parseSeed(seed))).toThrow(/two users/);
  });

  it('says which seed field is wrong', () => {
    expect(() => parseSeed({ ...testSeed(), users: [{ id: 'nope' }] })).toThrow(/users\.0\.id: must be a GUID/);
  });

  it('enforces the 25-delegate limit and refuses duplicates and self-delegation', () => {
    const seed = testSeed();
    for (let i = 0; i < 30; i++) {
      seed.users.push({
        id: `10000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`,
        givenName: 'U',
        surname: String(i),
        userPrincipalName: `u${i}`,
      });
    }
    const t = new Tenant(parseSeed(seed));
    const start = t.delegatesOf(ADA).length;
    for (let i = 0; i < MAX_DELEGATES_PER_DELEGATOR - start; i++) t.addDelegation({ delegator: 'ada', delegate: `u${i}` });
    expect(() => t.addDelegation({ delegator: 'ada', delegate: 'u29' })).toThrow(TenantError);
    expect(() => t.addDelegation({ delegator: 'hana', delegate: 'hana' })).toThrow(/own delegate/);
    expect(() => t.addDelegation({ delegator: 'ada', delegate: 'ben' })).toThrow(/already/);
  });

  it('combines schedule, app sessions and preferred presence as Graph documents', () => {
    const t = tenant();
    expect(t.effectivePresence(BEN)).toMatchObject({ availability: 'Available', activity: 'Available' });
    t.setSession(BEN, 'app', 'Busy', 'InACall', 60_000);
    expect(t.effectivePresence(BEN)).toMatchObject({ availability: 'Busy', activity: 'InACall' });
    t.setPreferred(BEN, 'Away', 'Away', 60_000);
    expect(t.effectivePresence(BEN)).toMatchObject({ availability: 'Away', activity: 'Away' });
    t.clock.advance(61_000); // both expire
    expect(t.effectivePresence(BEN)).toMatchObject({ availability: 'Available', activity: 'Available' });
  });

  it('shows Offline with a preference but no session at all', () => {
    const t = tenant();
    const gus = t.findUser('gus')!.id; // pinned Offline/OffWork
    t.setPreferred(gus, 'Available', 'Available', 60_000);
    expect(t.effectivePresence(gus).availability).toBe('Offline');
  });

  it('stamps a new, larger sequenceNumber only when presence changes', () => {
    const t = tenant();
    const a = t.effectivePresence(BEN).sequenceNumber;
    expect(t.effectivePresence(BEN).sequenceNumber).toBe(a);
    t.setOverride(BEN, { availability: 'Busy', activity: 'Busy', workLocation: 'office' });
    const b = t.effectivePresence(BEN).sequenceNumber;
    expect(b > a).toBe(true);
  });

  it('emits presenceChanged for every change', () => {
    const t = tenant();
    const seen: string[] = [];
    t.on('presenceChanged', (id) => seen.push(id));
    t.setOverride(BEN, undefined);
    t.setStatusMessage(BEN, { content: 'hi' });
    expect(seen).toEqual([BEN, BEN]);
  });

  it('expires a status message at its expiry time', () => {
    const t = tenant();
    t.setStatusMessage(BEN, { content: 'brb', expiry: { dateTime: '2026-03-02T10:05:00', timeZone: 'UTC' } });
    expect(t.effectivePresence(BEN).statusMessage?.content).toBe('brb');
    t.clock.advance(6 * 60_000);
    // Ben's pinned seed presence carries its own message, which shows again.
    expect(t.effectivePresence(BEN).statusMessage?.content).toBe('Taking calls for Ada');
  });
});
