/** presence: one person's presence and status message. */
import { presenceCard } from '../cards';
import { chosen, pick } from '../choosePerson';
import { msg } from '../reply';
import type { Answer } from './answer';

export const answerPresence: Answer<'presence'> = async (command, { desk, user, personId }) => {
  const m = await chosen(desk, user, command.name, personId);
  if (m.kind === 'none') return msg(`I couldn't find anyone called ${command.name}.`);
  if (m.kind === 'many') return pick(command.name, 'presence', m);
  const p = m.person;
  const text = `${p.displayName}: ${p.presence?.description ?? 'presence unknown'}${p.presence?.statusMessage ? ` — “${p.presence.statusMessage}”` : ''}`;
  return msg(
    text,
    presenceCard({ displayName: p.displayName, userPrincipalName: p.userPrincipalName, jobTitle: p.jobTitle }, p.presence ?? null),
  );
};
