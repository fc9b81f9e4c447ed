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
  const m = await chosen(desk, user, target.name, personId);
  if (m.kind === 'none') return msg(`I couldn't find anyone called ${target.name}.`);
  if (m.kind === 'many') return pick(target.name, 'meetNow', m);
  return [{ id: m.person.id, displayName: m.person.displayName }];
}

export const answerMeetNow: Answer<'meetNow'> = async (command, ctx) => {
  const attendees = await attendeesFor(command.target, ctx);
  if (!Array.isArray(attendees)) return attendees;
  const who = attendees.map((a) => a.displayName).join(', ');
  const meeting = await ctx.desk.createMeeting(ctx.user, { subject: `Meet now with ${who}`, attendeeIds: attendees.map((a) => a.id) });
  return msg(`Your meeting with ${who} is ready.`, meetingCard(meeting.joinWebUrl, who));
};
