/** POST /me/onlineMeetings (delegated OnlineMeetings.ReadWrite) and GET of a created meeting; calendar events with a Teams meeting in ./events. */
import type { DevTenantContext } from '../../context';
import type { GraphRoute, GraphRequest } from '../core';
import { GraphError, badRequest, notFound } from '../errors';
import { eventRoutes } from './events';
import { newTeamsMeeting } from './teamsMeeting';

interface Meeting {
  json: Record<string, unknown>;
  organizerId: string;
}

function requireSelf(req: GraphRequest, ctx: DevTenantContext) {
  const user = ctx.tenant.findUser(req.params.id!);
  if (!user) throw notFound(`Resource '${req.params.id}' does not exist.`, 'NotFound');
  if (req.identity.kind === 'application') {
    // Graph needs an application access policy for app-only meetings; the dev tenant has none.
    throw new GraphError(403, 'Forbidden', 'No application access policy found for this app.');
  }
  if (user.id !== req.identity.userId)
    throw new GraphError(403, 'Forbidden', 'Delegated permissions can only create meetings for the signed-in user.');
  return user;
}

export function meetingRoutes(ctx: DevTenantContext): GraphRoute[] {
  const meetings = new Map<string, Meeting>();
  const perms = { delegated: ['OnlineMeetings.ReadWrite'], application: ['OnlineMeetings.ReadWrite.All'] };
  return [
    {
      method: 'POST',
      pattern: '/users/{id}/onlineMeetings',
      permissions: perms,
      handler: (req) => {
        const user = requireSelf(req, ctx);
        const b = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
        const parse = (v: unknown, fallback: Date) => {
          if (v === undefined || v === null) return fallback;
          const d = new Date(String(v));
          if (Number.isNaN(d.getTime())) throw badRequest(`'${String(v)}' is not a valid date and time.`, 'InvalidRequest');
          return d;
        };
        const start = parse(b.startDateTime, new Date());
        const end = parse(b.endDateTime, new Date(start.getTime() + 30 * 60_000));
        if (end <= start) throw badRequest('endDateTime must be after startDateTime.', 'InvalidRequest');
        const teams = newTeamsMeeting(ctx, user);
        const thread = teams.thread;
        const id = Buffer.from(`1*${user.id}*0**${thread}`).toString('base64url');
        const attendees = ((b.participants as { attendees?: unknown[] } | undefined)?.attendees ?? []) as unknown[];
        const json = {
          '@odata.type': '#microsoft.graph.onlineMeeting',
          '@odata.context': `${ctx.origin()}/${req.version}/$metadata#users('${user.id}')/onlineMeetings/$entity`,
          id,
          creationDateTime: new Date().toISOString(),
          startDateTime: start.toISOString(),
          endDateTime: end.toISOString(),
          joinWebUrl: teams.joinWebUrl,
          subject: typeof b.subject === 'string' ? b.subject : null,
          chatInfo: { threadId: thread, messageId: '0', replyChainMessageId: '0' },
          audioConferencing: {
            tollNumber: teams.tollNumber,
            tollFreeNumber: '+1 800 555 0100',
            conferenceId: teams.conferenceId,
            dialinUrl: `https://dialin.teams.microsoft.com/${ctx.tenant.id}?id=0`,
          },
          participants: {
            organizer: {
              identity: { user: { id: user.id, displayName: user.displayName, tenantId: ctx.tenant.id } },
              upn: user.userPrincipalName,
              role: 'presenter',
            },
            attendees,
          },
        };
        meetings.set(id, { json, organizerId: user.id });
        return { status: 201, body: json, headers: { Location: `${ctx.origin()}/${req.version}/users/${user.id}/onlineMeetings/${id}` } };
      },
    },
    {
      method: 'GET',
      pattern: '/users/{id}/onlineMeetings/{meetingId}',
      permissions: { delegated: ['OnlineMeetings.Read', 'OnlineMeetings.ReadWrite'], application: perms.application },
      handler: (req) => {
        const user = requireSelf(req, ctx);
        const m = meetings.get(req.params.meetingId!);
        if (!m || m.organizerId !== user.id) throw notFound('The online meeting was not found.', 'NotFound');
        return { status: 200, body: m.json };
      },
    },
    ...eventRoutes(ctx),
  ];
}
