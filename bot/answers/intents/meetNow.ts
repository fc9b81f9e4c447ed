/** meetNow: a Teams meeting created now, with the user's active delegates or the person named. */
import type { MeetTarget } from '../../understanding/command';
import { meetingCard } from '../cards';
import { chosen, pick } from '../choosePerson';
import { msg, type BotReply } from '../reply';
import type { AnswerContext, Answer } from './answer';

type Attendee = { id: string; displayName: string };

/** The attendees, or the reply that says why there are none. */
async function attendeesFor(target: MeetTarget, { desk, user, personId }: AnswerContext): Promise<Attendee[] | BotReply> {
  if (target.kind === 'myDelegates') {
    const view = await desk.loadDelegationView(user);
    const attendees = view.delegates.filter((d) => d.isActive).map((d) => ({ id: d.person.id, displayName: d.person.displayName }));
    return attendees.length ? attendees : msg('You have no active delegates to meet with.');
  }
  if (target.kind === 'myDelegators') {
    const view = await desk.loadDelegationView(user);
    const attendees = view.delegators.filter((d) => d.isActive).map((d) => ({ id: d.person.id, displayName: d.person.displayName }));
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
    if (!attendees.some((a) => a.id === m.person.id)) attendees.push({ id: m.person.id, displayName: m.person.displayName });
  }
  return attendees;
}

export const answerMeetNow: Answer<'meetNow'> = async (command, ctx) => {
  const attendees = await attendeesFor(command.target, ctx);
  if (!Array.isArray(attendees)) return attendees;
  const who = attendees.map((a) => a.displayName).join(', ');
  const meeting = await ctx.desk.createMeeting(ctx.user, { subject: `Meet now with ${who}`, attendeeIds: attendees.map((a) => a.id) });
  return msg(`Your meeting with ${who} is ready.`, meetingCard(meeting.joinWebUrl, who));
};
