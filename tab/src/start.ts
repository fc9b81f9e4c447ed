/** Imported first by main.tsx, so the requests start before React is even evaluated. */
import { startTab } from './boot';

export const boot = startTab();
