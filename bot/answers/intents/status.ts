/** setStatus and clearStatus: the user's own presence and status message. */
import { msg } from '../reply';
import type { Answer } from './answer';

export const answerSetStatus: Answer<'setStatus'> = async (command, { desk, user }) => {
  const parts: string[] = [];
  if (command.availability) {
    await desk.setMyPresence(user, command.availability, command.durationMinutes);
    parts.push(
      `You show as ${command.availability.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}${command.durationMinutes ? ` for ${command.durationMinutes} minutes` : ''}.`,
    );
  }
  if (command.message) {
    await desk.setMyStatusMessage(
      user,
      command.message,
      command.durationMinutes ? new Date(Date.now() + command.durationMinutes * 60_000) : undefined,
    );
    parts.push(`Your status message is “${command.message}”.`);
  }
  return msg(parts.join(' ') || 'Tell me what to set, for example "set my status to In the lab".');
};

export const answerClearStatus: Answer<'clearStatus'> = async (_command, { desk, user }) => {
  await desk.clearMyPresence(user);
  return msg('Your presence and status message are cleared.');
};
