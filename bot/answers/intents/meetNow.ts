/** meetNow: a Teams meeting created now, with the user's active delegates or the person named. */
import type { MeetTarget } from '../../understanding/command';
import { meetingCard } from '../cards';
import { chosen, pick } from '../choosePerson';
import { msg, type BotReply } from '../reply';
import type { AnswerContext, Answer } from './answer';

/** address: their user principal name, where the calendar invitation goes. */
type Attendee = { id: string; displayName: string; address: string | null };

const attendee = (p: { id: string; displayName: string; userPrincipalName: string | null }): Attendee => ({
  id: p.id,
  displayName: p.displayName,
  address: p.userPrincipalName,
});

/** The attendees, or the reply that says why there are none. */
async function attendeesFor(target: MeetTarget, { desk, user, personId }: AnswerContext): Promise<Attendee[] | BotReply> {
  if (target.kind === 'myDelegates') {
    const view = await desk.loadDelegationView(user);
    const attendees = view.delegates.filter((d) => d.isActive).map((d) => attendee(d.person));
    return attendees.length ? attendees : msg('You have no active delegates to meet with.');
  }
  if (target.kind === 'myDelegators') {
    const view = await desk.loadDelegationView(user);
    const attendees = view.delegators.filter((d) => d.isActive).map((d) => attendee(d.person));
    return attendees.length ? attendees : msg('Nobody has made you their delegate, so I have no one to meet with.');
  }
  const names = target.kind === 'person' ? [target.name] : target.names;
  const attendees: Attendee[] = [];
  for (const name of names) {
    // A choice from the ambiguity card is for the one name it was asked about (the only one, as several names are asked about one by one).
    const m = await chosen(desk, user, name, names.length === 1 ? personId : undefined);
    if (m.kind === 'none') return msg(`I couldn't find anyone called ${name}.`);
    if (m.kind === 'many') {
      if (names.length > 1)
        return msg(`I know more than one ${name}. Please give their full name, for example "meet now with ${m.people[0]!.displayName}".`);
      return pick(name, 'meetNow', m);
    }
    if (!attendees.some((a) => a.id === m.person.id)) attendees.push(attendee(m.person));
  }
  return attendees;
}

export const answerMeetNow: Answer<'meetNow'> = async (command, ctx) => {
  const attendees = await attendeesFor(command.target, ctx);
  if (!Array.isArray(attendees)) return attendees;
  const who = attendees.map((a) => a.displayName).join(', ');
  // Someone the directory gave no address cannot be invited: say so rather than leave them out silently.
  const invitable = attendees.filter((a): a is Attendee & { address: string } => !!a.address);
  const missing = attendees.filter((a) => !a.address).map((a) => a.displayName);
  const meeting = await ctx.desk.createMeeting(ctx.user, {
    subject: `Meet now with ${who}`,
    attendees: invitable.map((a) => ({ displayName: a.displayName, address: a.address })),
  });
  const invited = meeting.invited.map((a) => a.displayName).join(', ');
  const text = invited
    ? `Your meeting with ${who} is ready. I sent ${invited} an invitation; it is in their calendar and Teams shows it to them.`
    : `Your meeting is ready, but I could not invite anyone.`;
  return msg(
    missing.length ? `${text} Teams has no address for ${missing.join(', ')}: send them the link.` : text,
    meetingCard(meeting.joinWebUrl, who),
  );
};
