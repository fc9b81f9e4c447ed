/** What Teams makes for a new meeting: shared by online meetings and calendar events with isOnlineMeeting. */
import { randomBytes } from 'node:crypto';
import type { DevTenantContext } from '../../context';
import type { TenantUser } from '../../tenant/tenant';

/** A new Teams meeting's thread, join URL and dial-in conference id, as Teams makes them for an organizer. */
export function newTeamsMeeting(ctx: DevTenantContext, organizer: TenantUser) {
  const thread = `19:meeting_${randomBytes(36).toString('base64url')}@thread.v2`;
  const context = encodeURIComponent(JSON.stringify({ Tid: ctx.tenant.id, Oid: organizer.id }));
  return {
    thread,
    joinWebUrl: `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(thread).replace(/%3A/g, '%3a').replace(/%40/g, '%40')}/0?context=${context}`,
    conferenceId: String(1_000_000 + (randomBytes(3).readUIntBE(0, 3) % 8_999_999)),
    tollNumber: '+1 425 555 0100',
  };
}
