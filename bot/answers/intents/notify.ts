/** notify, listWatches, cancelWatch: "tell me when Alex is free" and the watches it keeps. */
import { msg } from '../reply';
import type { Answer } from './answer';

// Placeholder while the watch service is wired in (issue 13).
export const answerNotify: Answer<'notify'> = async () => msg("I can't watch someone's presence for you yet.");
export const answerListWatches: Answer<'listWatches'> = async () => msg("You're not waiting for anyone.");
export const answerCancelWatch: Answer<'cancelWatch'> = async () => msg("You're not waiting for anyone.");
