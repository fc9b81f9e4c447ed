/**
 * What an incoming activity must look like before the Bot Framework adapter sees it: malformed ones get
 * 400 with a reason (the adapter would answer 500 with a JavaScript message), and replies may go only to
 * a connector we trust, never to whatever URL a request names.
 */
import { z } from 'zod/v4';
import type { Activity } from 'botbuilder';

/**
 * Where replies may be sent. In Teams: its connector, https on these hosts (learn.microsoft.com
 * microsoftteams/platform/bots/how-to/conversations/send-proactive-messages: the serviceUrl of the
 * commercial, GCC, GCC High and DoD clouds). Locally: loopback only (the local Teams host, the Agents
 * Playground and tests run their connectors there; the server itself listens on loopback).
 */
export type ServiceUrlPolicy = { kind: 'teams'; hosts?: string[] } | { kind: 'loopback' };

export const TEAMS_CONNECTOR_HOSTS = [
  'smba.trafficmanager.net',
  'smba.infra.gcc.teams.microsoft.com',
  'smba.infra.gov.teams.microsoft.us',
  'smba.infra.dod.teams.microsoft.us',
];
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function serviceUrlProblem(value: string, policy: ServiceUrlPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'serviceUrl is not a URL';
  }
  if (policy.kind === 'loopback')
    return LOOPBACK.has(url.hostname) && /^https?:$/.test(url.protocol) ? undefined : 'serviceUrl must be a connector on this machine';
  const hosts = policy.hosts ?? TEAMS_CONNECTOR_HOSTS;
  return url.protocol === 'https:' && hosts.includes(url.hostname.toLowerCase()) ? undefined : "serviceUrl is not Teams' connector";
}

const id = z.string().min(1).max(1024);
const account = z.looseObject({
  id,
  name: z.string().max(1024).optional().nullable(),
  aadObjectId: z.string().max(64).optional().nullable(),
});

const activitySchema = z.looseObject({
  type: z.string().regex(/^[A-Za-z]{1,64}$/, 'type must be an activity type'),
  id: z.string().max(1024).optional(),
  channelId: z.string().min(1).max(64),
  serviceUrl: z.string().max(2048),
  from: account,
  recipient: account,
  conversation: z.looseObject({
    id,
    tenantId: z.string().max(64).optional().nullable(),
    conversationType: z.string().max(64).optional().nullable(),
  }),
  text: z.string().max(200_000).optional().nullable(),
  name: z.string().max(256).optional().nullable(),
  value: z.unknown().optional(),
  channelData: z.record(z.string(), z.unknown()).optional().nullable(),
  membersAdded: z.array(account).max(10_000).optional().nullable(),
  membersRemoved: z.array(account).max(10_000).optional().nullable(),
  deliveryMode: z.enum(['normal', 'notification', 'expectReplies', 'ephemeral']).optional().nullable(),
  replyToId: z.string().max(1024).optional().nullable(),
  // botbuilder reads entities (mentions) and attachments without checking them.
  entities: z
    .array(z.looseObject({ type: z.string().max(256) }))
    .max(1000)
    .optional(),
  attachments: z
    .array(z.looseObject({ contentType: z.string().max(256) }))
    .max(100)
    .optional(),
});

export type ActivityCheck = { ok: true; activity: Activity } | { ok: false; reason: string };

export function checkActivity(body: unknown, policy: ServiceUrlPolicy): ActivityCheck {
  const parsed = activitySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join('.');
    return { ok: false, reason: `The body is not a Bot Framework activity (${where ? `${where}: ` : ''}${issue.message}).` };
  }
  const problem = serviceUrlProblem(parsed.data.serviceUrl, policy);
  if (problem) return { ok: false, reason: `The activity was refused: ${problem}.` };
  return { ok: true, activity: parsed.data as unknown as Activity };
}
