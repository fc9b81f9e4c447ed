/**
 * Calendar events (Outlook calendar API), enough for "meet now" with invitations: POST /users/{id}/events
 * (and /calendar/events) with `isOnlineMeeting` and attendees, GET of the user's events and of one event.
 * As Exchange does when an event is sent, every attendee in the tenant gets the meeting in their own
 * calendar (their own id, the same iCalUId and join URL, response "notResponded"). See FIDELITY.md for what
 * is simplified (UTC only, no mail, no recurrence).
 */
import { randomBytes } from 'node:crypto';
import type { DevTenantContext } from '../../context';
import type { TenantUser } from '../../tenant/tenant';
import type { GraphRequest, GraphRoute } from '../core';
import { GraphError, badRequest } from '../errors';
import { newTeamsMeeting } from './teamsMeeting';

type Json = Record<string, unknown>;
interface StoredEvent {
  ownerId: string;
  json: Json;
}

const NEVER = '0001-01-01T00:00:00Z';
const accessDenied = () => new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
const itemNotFound = () => new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
const invalid = (message: string) => badRequest(message, 'ErrorInvalidRequest');

/** A dateTimeTimeZone in UTC ("2026-03-02T10:00:00", "UTC"); Graph answers in UTC without a Prefer: outlook.timezone header. */
function utc(v: unknown, name: string): Date {
  const o = v as { dateTime?: unknown; timeZone?: unknown } | undefined;
  if (!o || typeof o.dateTime !== 'string' || typeof o.timeZone !== 'string')
    throw invalid(`The ${name} property is required: { dateTime, timeZone }.`);
  if (!/^(?:UTC|Etc\/UTC|GMT)$/i.test(o.timeZone)) throw invalid(`The dev tenant reads only UTC times; '${o.timeZone}' is not one.`);
  const d = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(o.dateTime) ? o.dateTime : `${o.dateTime}Z`);
  if (Number.isNaN(d.getTime())) throw invalid(`'${o.dateTime}' is not a valid date and time.`);
  return d;
}
const wire = (d: Date) => ({ dateTime: `${d.toISOString().slice(0, 19)}.0000000`, timeZone: 'UTC' });

function attendeesOf(v: unknown): Array<{ address: string; name: string; type: string }> {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalid('attendees must be a collection.');
  return v.map((a) => {
    const e = (a as { emailAddress?: { address?: unknown; name?: unknown }; type?: unknown } | null)?.emailAddress;
    if (!e || typeof e.address !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(e.address))
      throw invalid('Each attendee needs an emailAddress with an address.');
    const type = typeof (a as { type?: unknown }).type === 'string' ? String((a as { type: string }).type).toLowerCase() : 'required';
    if (!['required', 'optional', 'resource'].includes(type)) throw invalid(`'${type}' is not an attendee type.`);
    return { address: e.address, name: typeof e.name === 'string' ? e.name : e.address, type };
  });
}

export function eventRoutes(ctx: DevTenantContext): GraphRoute[] {
  const events = new Map<string, StoredEvent>();
  /** organizer id + transactionId → event id: a retried POST returns the event it made (Graph's transactionId). */
  const transactions = new Map<string, string>();
  const newId = () => `AAMkAD${randomBytes(24).toString('base64url')}=`;

  /** Delegated: the signed-in user's own calendar only (shared calendars are not simulated); application: any user's. */
  function owner(req: GraphRequest): TenantUser {
    const user = ctx.tenant.findUser(req.params.id!);
    if (!user) throw new GraphError(404, 'ErrorInvalidUser', `The requested user '${req.params.id}' is invalid.`);
    if (req.identity.kind === 'delegated' && user.id !== req.identity.userId) throw accessDenied();
    return user;
  }

  function create(req: GraphRequest) {
    const organizer = owner(req);
    const b = (req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? req.body : undefined) as Json | undefined;
    if (!b) throw invalid('The request body must be an event.');
    const transaction = typeof b.transactionId === 'string' ? `${organizer.id}|${b.transactionId}` : undefined;
    const earlier = transaction ? events.get(transactions.get(transaction) ?? '') : undefined;
    if (earlier) return { status: 201, body: earlier.json };
    const start = utc(b.start, 'start');
    const end = utc(b.end, 'end');
    if (end < start) throw invalid('The end time must not be before the start time.');
    const attendees = attendeesOf(b.attendees);
    const online = b.isOnlineMeeting === true;
    const provider = b.onlineMeetingProvider ?? (online ? 'teamsForBusiness' : 'unknown');
    if (online && provider !== 'teamsForBusiness')
      throw invalid(`The online meeting provider '${String(provider)}' is not allowed for this calendar.`);
    const teams = online ? newTeamsMeeting(ctx, organizer) : undefined;
    const iCalUId = `040000008200E00074C5B7101A82E008${randomBytes(28).toString('hex').toUpperCase()}`;
    const now = new Date().toISOString();
    const subject = typeof b.subject === 'string' ? b.subject : '';
    const body = b.body as { contentType?: unknown; content?: unknown } | undefined;
    const content = typeof body?.content === 'string' ? body.content : '';
    const base = (id: string, isOrganizer: boolean, userId: string): Json => ({
      '@odata.context': `${ctx.origin()}/${req.version}/$metadata#users('${userId}')/events/$entity`,
      '@odata.etag': `W/"${randomBytes(12).toString('base64')}"`,
      id,
      createdDateTime: now,
      lastModifiedDateTime: now,
      changeKey: randomBytes(12).toString('base64'),
      categories: [],
      transactionId: typeof b.transactionId === 'string' ? b.transactionId : null,
      originalStartTimeZone: 'UTC',
      originalEndTimeZone: 'UTC',
      iCalUId,
      reminderMinutesBeforeStart: 15,
      isReminderOn: true,
      hasAttachments: false,
      hideAttendees: false,
      subject,
      bodyPreview: content.replace(/<[^>]*>/g, '').slice(0, 255),
      importance: 'normal',
      sensitivity: 'normal',
      isAllDay: false,
      isCancelled: false,
      isDraft: false,
      isOrganizer,
      responseRequested: true,
      seriesMasterId: null,
      showAs: isOrganizer ? 'busy' : 'tentative',
      type: 'singleInstance',
      webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`,
      onlineMeetingUrl: null,
      isOnlineMeeting: online,
      onlineMeetingProvider: provider,
      allowNewTimeProposals: b.allowNewTimeProposals !== false,
      responseStatus: { response: isOrganizer ? 'organizer' : 'notResponded', time: NEVER },
      body: { contentType: 'html', content: `<html><head></head><body>${content}</body></html>` },
      start: wire(start),
      end: wire(end),
      location: { displayName: '', locationType: 'default', uniqueIdType: 'unknown' },
      locations: [],
      recurrence: null,
      attendees: attendees.map((a) => ({
        type: a.type,
        status: { response: 'none', time: NEVER },
        emailAddress: { name: a.name, address: a.address },
      })),
      organizer: { emailAddress: { name: organizer.displayName, address: organizer.mail } },
      onlineMeeting: teams ? { joinUrl: teams.joinWebUrl, conferenceId: teams.conferenceId, tollNumber: teams.tollNumber } : null,
    });
    const id = newId();
    const json = base(id, true, organizer.id);
    events.set(id, { ownerId: organizer.id, json });
    if (transaction) transactions.set(transaction, id);
    // The invitation: a copy in each invited tenant user's calendar (Exchange delivers it; outside addresses get mail only).
    const invited = new Set<string>();
    for (const a of attendees) {
      const user = ctx.tenant.findUser(a.address);
      if (!user || user.id === organizer.id || invited.has(user.id)) continue;
      invited.add(user.id);
      const copyId = newId();
      events.set(copyId, { ownerId: user.id, json: base(copyId, false, user.id) });
    }
    return { status: 201, body: json, headers: { Location: `${ctx.origin()}/${req.version}/users/${organizer.id}/events/${id}` } };
  }

  const writePerms = { delegated: ['Calendars.ReadWrite'], application: ['Calendars.ReadWrite'] };
  const readPerms = { delegated: ['Calendars.Read', 'Calendars.ReadWrite'], application: ['Calendars.Read', 'Calendars.ReadWrite'] };
  const list = (req: GraphRequest) => {
    const user = owner(req);
    const value = [...events.values()]
      .filter((e) => e.ownerId === user.id)
      .map((e) => Object.fromEntries(Object.entries(e.json).filter(([k]) => k !== '@odata.context')));
    return { status: 200, body: { '@odata.context': `${ctx.origin()}/${req.version}/$metadata#users('${user.id}')/events`, value } };
  };
  const one = (req: GraphRequest) => {
    const user = owner(req);
    const e = events.get(req.params.eventId!);
    if (!e || e.ownerId !== user.id) throw itemNotFound();
    return { status: 200, body: e.json };
  };
  return [
    { method: 'POST', pattern: '/users/{id}/events', permissions: writePerms, handler: create },
    { method: 'POST', pattern: '/users/{id}/calendar/events', permissions: writePerms, handler: create },
    { method: 'GET', pattern: '/users/{id}/events', permissions: readPerms, handler: list },
    { method: 'GET', pattern: '/users/{id}/calendar/events', permissions: readPerms, handler: list },
    { method: 'GET', pattern: '/users/{id}/events/{eventId}', permissions: readPerms, handler: one },
  ];
}
