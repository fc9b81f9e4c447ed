/**
 * Adaptive Cards for the bot's answers: JSON templates expanded with adaptivecards-templating.
 * Pure: data in, card JSON out; no bot framework here.
 *
 * Text from Graph or from a person (names, titles, status and out-of-office messages, what someone
 * typed) goes only into TextRuns, which Adaptive Cards never parse as markdown: a status message
 * "[Verify your account](https://…)" shows as those characters, not as a link. TextBlocks (which
 * Teams renders as markdown) carry our own words only.
 */
import * as ACData from 'adaptivecards-templating';
import type { DelegationEntry, PresenceView } from '../../shared/domain/delegationView';
import { mainCommands } from './commands';

export type Card = Record<string, unknown>;

export const callLink = (upn: string, video = false) =>
  `https://teams.microsoft.com/l/call/0/0?users=${encodeURIComponent(upn)}${video ? '&withVideo=true' : ''}&source=delegatedesk`;
export const chatLink = (upn: string) => `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(upn)}`;

const envelope = (body: unknown[], actions: unknown[] = []) => ({
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  body,
  ...(actions.length ? { actions } : {}),
});

/** Literal text: a RichTextBlock of one TextRun (no markdown), styled like a TextBlock. */
const literal = (text: string, style: Record<string, unknown> = {}, block: Record<string, unknown> = {}) => ({
  type: 'RichTextBlock',
  ...block,
  inlines: [{ type: 'TextRun', text, ...style }],
});

function expand(template: object, data: object): Card {
  return new ACData.Template(template).expand({ $root: data }) as Card;
}

const personTemplate = {
  type: 'Container',
  $data: '${people}',
  separator: true,
  spacing: 'Medium',
  items: [
    literal('${name}', { weight: 'Bolder' }),
    literal('${title}', { isSubtle: true }, { $when: "${title != ''}", spacing: 'None' }),
    literal('${presence}', { color: '${presenceColor}' }, { spacing: 'Small' }),
    literal('“${statusMessage}”', { isSubtle: true }, { $when: "${statusMessage != ''}", spacing: 'None' }),
    literal('Out of office: ${outOfOffice}', {}, { $when: "${outOfOffice != ''}", spacing: 'None' }),
    { type: 'TextBlock', text: 'Permissions: ${permissions}', $when: "${permissions != ''}", size: 'Small', spacing: 'Small', wrap: true },
    { type: 'TextBlock', text: 'Inactive delegation', $when: '${inactive}', size: 'Small', color: 'Attention', spacing: 'None' },
    literal('${reason}', { color: '${verdictColor}', weight: 'Bolder', size: 'Small' }, { spacing: 'Small' }),
    {
      type: 'ActionSet',
      $when: "${upn != ''}",
      actions: [
        { type: 'Action.OpenUrl', title: 'Call', url: '${callUrl}' },
        { type: 'Action.OpenUrl', title: 'Video call', url: '${videoUrl}' },
        { type: 'Action.OpenUrl', title: 'Chat', url: '${chatUrl}' },
      ],
    },
  ],
};

/** Teams' presence colours; the words are always there too, so colour is never the only sign. */
const PRESENCE_COLOR: Record<DelegationEntry['state'], string> = {
  available: 'Good',
  busy: 'Attention',
  doNotDisturb: 'Attention',
  away: 'Warning',
  outOfOffice: 'Accent',
  offline: 'Default',
  unknown: 'Default',
};

function personData(e: DelegationEntry) {
  const upn = e.person.userPrincipalName ?? '';
  return {
    name: e.person.displayName,
    title: [e.person.jobTitle, e.person.department].filter(Boolean).join(', '),
    presence: e.presence?.description ?? 'Presence unknown',
    presenceColor: PRESENCE_COLOR[e.state],
    statusMessage: e.presence?.statusMessage ?? '',
    outOfOffice: e.presence?.outOfOffice.isOutOfOffice ? (e.presence.outOfOffice.message ?? 'yes') : '',
    permissions: e.permissionLabels.join(', '),
    inactive: !e.isActive,
    reason: e.reason,
    verdictColor: e.canTakeCallNow ? 'Good' : 'Default',
    upn,
    callUrl: upn ? callLink(upn) : '',
    videoUrl: upn ? callLink(upn, true) : '',
    chatUrl: upn ? chatLink(upn) : '',
  };
}

/** People with presence and actions. The one-line answer goes in the message text (Teams shows it above the card and in notifications), not again in the card. */
export function peopleCard(title: string, entries: DelegationEntry[]): Card {
  // The title may be a person's name (what one person may do for me): literal text, as all their data.
  return expand(envelope([literal('${title}', { size: 'Large', weight: 'Bolder' }), personTemplate]), {
    title,
    people: entries.map(personData),
  });
}

export function presenceCard(
  person: { displayName: string; userPrincipalName: string | null; jobTitle?: string | null },
  presence: PresenceView | null,
): Card {
  const upn = person.userPrincipalName ?? '';
  return expand(
    envelope(
      [
        literal('${name}', { size: 'Large', weight: 'Bolder' }),
        literal('${title}', { isSubtle: true }, { $when: "${title != ''}", spacing: 'None' }),
        literal('${presence}'),
        literal('“${statusMessage}”', {}, { $when: "${statusMessage != ''}" }),
        literal('Out of office: ${outOfOffice}', {}, { $when: "${outOfOffice != ''}" }),
      ],
      upn
        ? [
            { type: 'Action.OpenUrl', title: 'Call', url: callLink(upn) },
            { type: 'Action.OpenUrl', title: 'Chat', url: chatLink(upn) },
          ]
        : [],
    ),
    {
      name: person.displayName,
      title: person.jobTitle ?? '',
      presence: presence?.description ?? 'Presence unknown',
      statusMessage: presence?.statusMessage ?? '',
      outOfOffice: presence?.outOfOffice.isOutOfOffice ? (presence.outOfOffice.message ?? 'yes') : '',
    },
  );
}

/** `detail`: a line the message text does not already say. */
export function callCard(person: { displayName: string; userPrincipalName: string }, detail = ''): Card {
  return expand(
    envelope(
      [literal('Call ${name}', { size: 'Large', weight: 'Bolder' }), literal('${why}', {}, { $when: "${why != ''}" })],
      [
        { type: 'Action.OpenUrl', title: 'Call ${name}', url: '${callUrl}' },
        { type: 'Action.OpenUrl', title: 'Video call', url: '${videoUrl}' },
      ],
    ),
    {
      name: person.displayName,
      why: detail,
      callUrl: callLink(person.userPrincipalName),
      videoUrl: callLink(person.userPrincipalName, true),
    },
  );
}

/**
 * A call to someone who is presenting, in Do not disturb or out of office waits for a confirmation: the
 * warning, their out-of-office message (literal text), "Call anyway" (an Action.Submit whose value
 * answers/submitted.ts checks) and a chat link as the gentler way.
 */
export function confirmCallCard(
  person: { id: string; displayName: string; userPrincipalName: string },
  warning: string,
  opts: { video?: boolean; outOfOfficeMessage?: string | null } = {},
): Card {
  return expand(
    envelope(
      [
        literal('Call ${name}?', { size: 'Large', weight: 'Bolder' }),
        literal('${warning}', { color: 'Attention' }),
        literal('Out of office: ${outOfOffice}', { isSubtle: true }, { $when: "${outOfOffice != ''}", spacing: 'Small' }),
      ],
      [
        {
          type: 'Action.Submit',
          title: 'Call anyway',
          data: { verb: 'confirmCall', personId: '${id}', name: '${name}', video: opts.video === true },
        },
        { type: 'Action.OpenUrl', title: 'Chat instead', url: '${chatUrl}' },
      ],
    ),
    {
      id: person.id,
      name: person.displayName,
      warning,
      outOfOffice: opts.outOfOfficeMessage ?? '',
      chatUrl: chatLink(person.userPrincipalName),
    },
  );
}

/**
 * An ambiguous name: one button per person; the choice comes back as a card action (read by
 * answers/submitted.ts). `details`: what else the request said, sent back with the choice (a call's
 * video; a watch's condition, minutes, reportExpiry).
 */
export function pickPersonCard(
  query: string,
  intent: string,
  people: Array<{ id: string; displayName: string; userPrincipalName: string | null; detail?: string }>,
  details: Record<string, string | number | boolean> = {},
): Card {
  return expand(
    envelope(
      [literal('Which ${query} do you mean?', { weight: 'Bolder' })],
      [
        {
          type: 'Action.Submit',
          $data: '${people}',
          title: '${label}',
          data: { ...details, verb: 'pickPerson', intent: '${intent}', personId: '${id}', query: '${query}' },
        },
      ],
    ),
    { query, people: people.map((p) => ({ id: p.id, label: p.detail ? `${p.displayName} (${p.detail})` : p.displayName, intent, query })) },
  );
}

export function meetingCard(joinWebUrl: string, withWhom: string): Card {
  return expand(
    envelope(
      [
        { type: 'TextBlock', text: 'Meeting ready', size: 'Large', weight: 'Bolder' },
        literal('A Teams meeting with ${who} is ready to join.'),
      ],
      [{ type: 'Action.OpenUrl', title: 'Join now', url: '${url}' }],
    ),
    { who: withWhom, url: joinWebUrl },
  );
}

/** A clarifying question's readings: each button sends its phrasing back as the user's message (imBack). */
export function clarifyCard(options: string[]): Card {
  return expand(
    envelope(
      [],
      [{ type: 'Action.Submit', $data: '${options}', title: '${title}', data: { msteams: { type: 'imBack', value: '${title}' } } }],
    ),
    {
      options: options.map((title) => ({ title })),
    },
  );
}

/** The message text carries the greeting; the card lists what to try. */
export function helpCard(): Card {
  return expand(
    envelope(
      [
        {
          type: 'TextBlock',
          text: 'Try one of these, or ask in your own words (for example "is Megan available?", "set my status to In the lab", "meet now with my delegates", "let me know when Alex is free", "stop notifying me").',
          wrap: true,
          isSubtle: true,
        },
      ],
      [{ type: 'Action.Submit', $data: '${commands}', title: '${title}', data: { msteams: { type: 'imBack', value: '${title}' } } }],
    ),
    { commands: mainCommands.filter((c) => c.title !== 'Help') },
  );
}
