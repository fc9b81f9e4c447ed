/** A small status next to the heading: whether presence is pushed ("Live") or polled, in plain words. */
import { Caption1, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowSync16Regular, Live16Regular, Pause16Regular } from '@fluentui/react-icons';
import type { LiveMode } from '../useLivePresence';

const useStyles = makeStyles({
  // Neutral foreground 2 on the page background: well above 4.5:1 in the light, dark and high-contrast themes.
  root: { display: 'inline-flex', alignItems: 'center', gap: '4px', color: tokens.colorNeutralForeground2 },
  icon: { flexShrink: 0 },
});

export interface UpdatesStatusProps {
  mode: LiveMode;
  /** How often presence is polled while it is not pushed. */
  pollSeconds: number;
}

/** The words shown, and the fuller ones for the accessible name. */
export function updatesWords({ mode, pollSeconds }: UpdatesStatusProps): { text: string; label: string } {
  const short = `Updated every ${pollSeconds} s`;
  const spoken = pollSeconds === 1 ? 'updated every second' : `updated every ${pollSeconds} seconds`;
  switch (mode) {
    case 'live':
      return { text: 'Live', label: 'Presence updates: Live' };
    case 'tokenTooOld':
      return {
        text: `Live updates paused: your sign-in is too old to renew them. ${short}.`,
        label: `Presence updates: live updates paused, your sign-in is too old to renew them; ${spoken}`,
      };
    case 'polled':
      return { text: short, label: `Presence updates: ${spoken}` };
  }
}

export function UpdatesStatus(props: UpdatesStatusProps) {
  const s = useStyles();
  const { text, label } = updatesWords(props);
  const Icon = props.mode === 'live' ? Live16Regular : props.mode === 'tokenTooOld' ? Pause16Regular : ArrowSync16Regular;
  return (
    <Caption1 as="span" role="status" aria-label={label} className={s.root} data-testid="updates-status" data-mode={props.mode}>
      <Icon className={s.icon} aria-hidden />
      <span>{text}</span>
    </Caption1>
  );
}
