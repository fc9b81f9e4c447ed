/** clarify: a short question with a button per reading; each button sends a phrasing the rules parse exactly. */
import { clarifyCard } from '../cards';
import { msg } from '../reply';
import type { Answer } from './answer';

export const answerClarify: Answer<'clarify'> = async ({ question, options }) => msg(question, clarifyCard(options));
