/** Presence: get (one, many), setPresence, clearPresence, preferred presence, status message. */
import type { DevTenantContext } from '../../context';
import type { GraphRoute, GraphRequest, PermissionRule } from '../core';
import { GraphError, notFound, badRequest } from '../errors';
import type { EffectivePresence, Availability, Activity } from '../../tenant/tenant';
import { availabilityValues, activityValues } from '../../tenant/seedTypes';

export const MAX_PRESENCE_IDS = 650;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Graph's presence JSON. Others' status message hides its expiry and publish time. */
export function presenceJson(p: EffectivePresence, self: boolean): Record<string, unknown> {
  let statusMessage: Record<string, unknown> | null = null;
  if (p.statusMessage) {
    statusMessage = { message: { content: p.statusMessage.content, contentType: p.statusMessage.contentType } };
    if (self) {
      statusMessage.publishedDateTime = new Date(p.statusMessage.publishedAt).toISOString();
      statusMessage.expiryDateTime = p.statusMessage.expiry ?? null;
    }
  }
  return {
    id: p.id,
    availability: p.availability,
    activity: p.activity,
    statusMessage,
    outOfOfficeSettings: { message: p.outOfOffice.message, isOutOfOffice: p.outOfOffice.isOutOfOffice },
    sequenceNumber: p.sequenceNumber,
    workLocation: p.workLocation,
  };
}

function targetOf(req: GraphRequest, ctx: DevTenantContext) {
  const id = req.params.id!;
  if (!GUID.test(id)) throw badRequest(`The user id '${id}' is not valid: presence is addressed by the user's object id (a GUID).`);
  const user = ctx.tenant.findUser(id);
  if (!user) throw notFound(`The user '${id}' was not found.`, 'NotFound');
  return user;
}

/** Reading someone else's presence is refused as directory data is (Authorization_RequestDenied). */
const readPermissions = (req: GraphRequest): PermissionRule => {
  const self = req.identity.kind === 'delegated' && req.params.id?.toLowerCase() === req.identity.userId;
  return {
    delegated: self ? ['Presence.Read', 'Presence.Read.All'] : ['Presence.Read.All'],
    application: ['Presence.Read.All', 'Presence.ReadWrite.All'],
    directory: !self,
  };
};
const writePermissions: PermissionRule = { delegated: ['Presence.ReadWrite'], application: ['Presence.ReadWrite.All'] };

function requireSelfForDelegated(req: GraphRequest, userId: string): void {
  if (req.identity.kind === 'delegated' && req.identity.userId !== userId) {
    throw new GraphError(403, 'Forbidden', "Delegated permissions can only change the signed-in user's own presence.");
  }
}

/** ISO 8601 duration (PnDTnHnMnS) in ms, or undefined if malformed. */
export function parseDuration(s: string): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(s);
  if (!m || s === 'P' || s.toUpperCase() === 'PT') return undefined;
  const [, d, h, min, sec] = m;
  return ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 + Number(sec ?? 0) * 1000;
}

function body(req: GraphRequest): Record<string, unknown> {
  if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body))
    throw badRequest('The request body is missing or is not a JSON object.');
  return req.body as Record<string, unknown>;
}

function pair(b: Record<string, unknown>, allowed: Array<[string, string]>, action: string): [Availability, Activity] {
  const availability = String(b.availability ?? '');
  const activity = String(b.activity ?? '');
  const canonA = availabilityValues.find((v) => v.toLowerCase() === availability.toLowerCase());
  const canonB = activityValues.find((v) => v.toLowerCase() === activity.toLowerCase());
  if (!canonA || !canonB || !allowed.some(([a, b2]) => a === canonA && b2 === canonB)) {
    throw badRequest(
      `${action}: the combination of availability '${availability}' and activity '${activity}' is not supported. Supported: ${allowed.map(([a, b2]) => `${a}/${b2}`).join(', ')}.`,
    );
  }
  return [canonA as Availability, canonB as Activity];
}

const SESSION_PAIRS: Array<[string, string]> = [
  ['Available', 'Available'],
  ['Busy', 'InACall'],
  ['Busy', 'InAConferenceCall'],
  ['Away', 'Away'],
  ['DoNotDisturb', 'Presenting'],
];
const PREFERRED_PAIRS: Array<[string, string]> = [
  ['Available', 'Available'],
  ['Busy', 'Busy'],
  ['DoNotDisturb', 'DoNotDisturb'],
  ['BeRightBack', 'BeRightBack'],
  ['Away', 'Away'],
  ['Offline', 'OffWork'],
];

function getPresenceRoute(pattern: string, contextPath: (id: string) => string): GraphRoute {
  return {
    method: 'GET',
    pattern,
    permissions: readPermissions,
    presenceLimited: true,
    handler: (req, ctx) => {
      const user = targetOf(req, ctx);
      const self = req.identity.userId === user.id;
      return {
        status: 200,
        body: {
          '@odata.context': `${ctx.origin()}/${req.version}/$metadata#${contextPath(user.id)}`,
          ...presenceJson(ctx.tenant.effectivePresence(user.id), self),
        },
      };
    },
  };
}

function writeRoutes(prefix: string): GraphRoute[] {
  return [
    {
      method: 'POST',
      pattern: `${prefix}/setPresence`,
      permissions: writePermissions,
      handler: (req, ctx) => {
        const user = targetOf(req, ctx);
        requireSelfForDelegated(req, user.id);
        const b = body(req);
        const sessionId = String(b.sessionId ?? '');
        if (!GUID.test(sessionId)) throw badRequest('setPresence: sessionId is required and must be the calling application id.');
        if (sessionId.toLowerCase() !== req.identity.appId.toLowerCase())
          throw badRequest('setPresence: sessionId must be the id of the calling application.');
        const [availability, activity] = pair(b, SESSION_PAIRS, 'setPresence');
        let duration = 5 * 60_000;
        if (b.expirationDuration !== undefined && b.expirationDuration !== null) {
          const d = parseDuration(String(b.expirationDuration));
          if (d === undefined || d < 5 * 60_000 || d > 4 * 3_600_000)
            throw badRequest('setPresence: expirationDuration must be an ISO 8601 duration from PT5M to PT4H.');
          duration = d;
        }
        ctx.tenant.setSession(user.id, sessionId, availability, activity, duration);
        return { status: 200 };
      },
    },
    {
      method: 'POST',
      pattern: `${prefix}/clearPresence`,
      permissions: writePermissions,
      handler: (req, ctx) => {
        const user = targetOf(req, ctx);
        requireSelfForDelegated(req, user.id);
        const sessionId = String(body(req).sessionId ?? '');
        if (!ctx.tenant.clearSession(user.id, sessionId)) throw notFound(`The presence session '${sessionId}' was not found.`, 'NotFound');
        return { status: 200 };
      },
    },
    {
      method: 'POST',
      pattern: `${prefix}/setUserPreferredPresence`,
      permissions: writePermissions,
      handler: (req, ctx) => {
        const user = targetOf(req, ctx);
        requireSelfForDelegated(req, user.id);
        const b = body(req);
        const [availability, activity] = pair(b, PREFERRED_PAIRS, 'setUserPreferredPresence');
        let duration = availability === 'DoNotDisturb' || availability === 'Busy' ? 86_400_000 : 7 * 86_400_000;
        if (b.expirationDuration !== undefined && b.expirationDuration !== null) {
          const d = parseDuration(String(b.expirationDuration));
          if (d === undefined || d <= 0) throw badRequest('setUserPreferredPresence: expirationDuration must be an ISO 8601 duration.');
          duration = d;
        }
        ctx.tenant.setPreferred(user.id, availability, activity, duration);
        return { status: 200 };
      },
    },
    {
      method: 'POST',
      pattern: `${prefix}/clearUserPreferredPresence`,
      permissions: writePermissions,
      handler: (req, ctx) => {
        const user = targetOf(req, ctx);
        requireSelfForDelegated(req, user.id);
        ctx.tenant.clearPreferred(user.id);
        return { status: 200 };
      },
    },
    {
      method: 'POST',
      pattern: `${prefix}/setStatusMessage`,
      permissions: writePermissions,
      handler: (req, ctx) => {
        const user = targetOf(req, ctx);
        requireSelfForDelegated(req, user.id);
        const sm = body(req).statusMessage as Record<string, unknown> | undefined | null;
        if (sm === undefined) throw badRequest('setStatusMessage: statusMessage is required.');
        const message = (sm?.message ?? null) as { content?: unknown; contentType?: unknown } | null;
        const expiry = sm?.expiryDateTime as { dateTime?: unknown; timeZone?: unknown } | undefined | null;
        if (expiry && (typeof expiry.dateTime !== 'string' || Number.isNaN(Date.parse(`${String(expiry.dateTime).replace(/Z$/, '')}Z`)))) {
          throw badRequest('setStatusMessage: expiryDateTime.dateTime is not a valid date and time.');
        }
        ctx.tenant.setStatusMessage(
          user.id,
          message && typeof message.content === 'string'
            ? {
                content: message.content,
                contentType: message.contentType === 'html' ? 'html' : 'text',
                expiry: expiry ? { dateTime: String(expiry.dateTime), timeZone: String(expiry.timeZone ?? 'UTC') } : undefined,
              }
            : undefined,
        );
        return { status: 200 };
      },
    },
  ];
}

export const presenceRoutes: GraphRoute[] = [
  getPresenceRoute('/users/{id}/presence', (id) => `users('${id}')/presence/$entity`),
  getPresenceRoute('/communications/presences/{id}', () => 'communications/presences/$entity'),
  {
    method: 'POST',
    pattern: '/communications/getPresencesByUserId',
    permissions: { delegated: ['Presence.Read.All'], application: ['Presence.Read.All', 'Presence.ReadWrite.All'], directory: true },
    presenceLimited: true,
    handler: (req, ctx) => {
      const ids = (body(req).ids ?? undefined) as unknown;
      if (!Array.isArray(ids) || ids.some((x) => typeof x !== 'string'))
        throw badRequest("The parameter 'ids' is required and must be a collection of user ids.");
      if (ids.length === 0) throw badRequest("The parameter 'ids' must contain at least one user id.");
      if (ids.length > MAX_PRESENCE_IDS)
        throw badRequest(`The number of ids in the request (${ids.length}) exceeds the maximum of ${MAX_PRESENCE_IDS}.`);
      const value = [...new Set((ids as string[]).map((i) => i.toLowerCase()))]
        .map((id) => (GUID.test(id) ? ctx.tenant.findUser(id) : undefined))
        .filter((u) => u !== undefined)
        .map((u) => presenceJson(ctx.tenant.effectivePresence(u.id), u.id === req.identity.userId));
      return {
        status: 200,
        body: { '@odata.context': `${ctx.origin()}/${req.version}/$metadata#Collection(microsoft.graph.presence)`, value },
      };
    },
  },
  ...writeRoutes('/users/{id}/presence'),
  ...writeRoutes('/communications/presences/{id}'),
];
