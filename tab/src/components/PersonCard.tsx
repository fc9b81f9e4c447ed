/** One person in a delegation relationship: who, presence in words, permissions, and actions. */
import { Suspense, lazy, useEffect, useState } from 'react';
import {
  Avatar,
  Body1,
  Button,
  Caption1,
  Card,
  Tag,
  Text,
  Tooltip,
  makeStyles,
  mergeClasses,
  tokens,
  type PresenceBadgeStatus,
} from '@fluentui/react-components';
import { AlertOn20Regular, AlertOff20Regular, Call20Regular, Chat20Regular, Open20Regular, Video20Regular } from '@fluentui/react-icons';
import type { DelegationEntry } from '../../../shared/domain/delegationView';
import { callNeedsConfirmation, callsAppHint, mayDoFor, mayDoForMe, verdictFor } from '../roles';
import type { WatchState } from '../useWatches';
import type { CallConfirmDialogProps } from './CallConfirmDialog';

const useStyles = makeStyles({
  card: { display: 'flex', flexDirection: 'column', gap: '8px', padding: '12px', height: '100%', boxSizing: 'border-box' },
  header: { display: 'flex', gap: '12px', alignItems: 'flex-start' },
  who: { display: 'flex', flexDirection: 'column', minWidth: 0 },
  name: { fontWeight: tokens.fontWeightSemibold },
  // Foreground 2 keeps at least 4.5:1 on the card in the light, dark and high-contrast themes.
  muted: { color: tokens.colorNeutralForeground2 },
  verdictYes: { color: tokens.colorPaletteGreenForeground1, fontWeight: tokens.fontWeightSemibold },
  verdictNo: { color: tokens.colorNeutralForeground2 },
  actions: { display: 'flex', gap: '4px', flexWrap: 'wrap', marginTop: 'auto' },
  // Inactive cards are told apart by a dashed border and their words, not by fading the text (contrast).
  inactive: { border: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralStroke1}`, backgroundColor: tokens.colorNeutralBackground2 },
  inactiveLabel: { alignSelf: 'flex-start' },
  tags: { display: 'flex', flexWrap: 'wrap', gap: '4px', listStyle: 'none', padding: 0, margin: 0 },
  note: { color: tokens.colorNeutralForeground1 },
  callsApp: { display: 'flex', flexDirection: 'column', gap: '4px', alignItems: 'flex-start' },
  watchButton: { alignSelf: 'flex-start' },
});

const BADGE: Record<DelegationEntry['state'], PresenceBadgeStatus> = {
  available: 'available',
  busy: 'busy',
  doNotDisturb: 'do-not-disturb',
  away: 'away',
  offline: 'offline',
  outOfOffice: 'out-of-office',
  unknown: 'unknown',
};

export interface PersonActions {
  onCall(entry: DelegationEntry, video: boolean): void;
  onChat(entry: DelegationEntry): void;
  /** Opens Teams' Calls app, where a delegate acts for an executive. */
  onOpenCallsApp?(entry: DelegationEntry): void;
  /** Opens a Teams deep link (the bot's chat). */
  onOpenLink?(url: string): void;
  watches?: WatchState;
}

/** Photo or initials with the presence badge; decorative, the name and presence are also in text. */
export function PersonAvatar({ entry, photoUrl, size }: { entry: DelegationEntry; photoUrl?: string | null; size: 32 | 48 }) {
  return (
    <Avatar
      name={entry.person.displayName}
      size={size}
      image={photoUrl ? { src: photoUrl, alt: '' } : undefined}
      badge={{ status: BADGE[entry.state], outOfOffice: entry.presence?.outOfOffice.isOutOfOffice ?? false, 'aria-hidden': true }}
      aria-hidden
    />
  );
}

const loadDialog = () => import('./CallConfirmDialog');

/** The dialog's code could not be fetched (network): the same question inline, with the card's own buttons. */
function InlineConfirm({ name, video, why, onCall, onCancel }: CallConfirmDialogProps) {
  return (
    <div role="alertdialog" aria-label={`${video ? 'Video call' : 'Call'} ${name} anyway?`}>
      <Body1 as="p">{why} A chat message may be less disruptive.</Body1>
      <Button appearance="primary" onClick={onCall}>
        Call anyway
      </Button>{' '}
      <Button onClick={onCancel}>Cancel</Button>
    </div>
  );
}

const CallConfirmDialog = lazy(() => loadDialog().catch(() => ({ default: InlineConfirm })));

/** Asks first before ringing someone presenting, in Do not disturb or out of office. */
export function useCallConfirmation(actions: PersonActions, entry?: DelegationEntry) {
  const [pending, setPending] = useState<{ entry: DelegationEntry; video: boolean; why: string } | null>(null);
  // Someone who would be asked about is on the page: fetch the dialog now, not when the button is pressed.
  const mayAsk = Boolean(entry && callNeedsConfirmation(entry));
  useEffect(() => {
    if (mayAsk) void loadDialog().catch(() => undefined);
  }, [mayAsk]);
  const call = (entry: DelegationEntry, video: boolean) => {
    const why = callNeedsConfirmation(entry);
    if (why) setPending({ entry, video, why });
    else actions.onCall(entry, video);
  };
  // Mounted only while asking: a mounted Dialog sets up Tabster's modalizer, whose page-wide focus
  // sentinels are focusable elements marked aria-hidden (axe: aria-hidden-focus).
  const dialog = pending && (
    <Suspense fallback={null}>
      <CallConfirmDialog
        name={pending.entry.person.displayName}
        video={pending.video}
        why={pending.why}
        onCall={() => {
          actions.onCall(pending.entry, pending.video);
          setPending(null);
        }}
        onCancel={() => setPending(null)}
      />
    </Suspense>
  );
  return { call, dialog };
}

export interface PersonCardProps {
  entry: DelegationEntry;
  photoUrl?: string | null;
  actions: PersonActions;
  /** Presence could not be refreshed: the time it dates from, and no "now" claims. */
  asOf?: string | null;
}

function WatchControls({
  entry,
  watches,
  onOpenLink,
}: {
  entry: DelegationEntry;
  watches: WatchState;
  onOpenLink?: (url: string) => void;
}) {
  const s = useStyles();
  const id = entry.person.id.toLowerCase();
  const name = entry.person.displayName;
  const watching = Boolean(watches.watching[id]);
  const note = watches.notes[id];
  const busy = Boolean(watches.busy[id]);
  // Nothing to wait for when the person is available, unless a watch is already running.
  if (entry.state === 'available' && !watching && note?.kind !== 'availableNow') return null;
  return (
    <>
      {watching ? (
        <Button
          icon={<AlertOff20Regular />}
          className={s.watchButton}
          size="small"
          aria-label={`Stop notifying me about ${name}`}
          disabledFocusable={busy}
          onClick={() => void watches.stop(entry)}
        >
          Stop notifying
        </Button>
      ) : (
        entry.state !== 'available' && (
          <Button
            icon={<AlertOn20Regular />}
            className={s.watchButton}
            size="small"
            aria-label={`Notify me in chat when available, about ${name}`}
            disabledFocusable={busy}
            onClick={() => void watches.notify(entry)}
          >
            Notify me in chat when available
          </Button>
        )
      )}
      <Body1 className={s.note} role="status" data-testid="watch-note">
        {note?.text ?? (watching ? `I'll message you in chat when ${name} is available.` : '')}
      </Body1>
      {note?.kind === 'problem' && note.botChatUrl && onOpenLink && (
        <Button
          size="small"
          appearance="primary"
          className={s.watchButton}
          icon={<Open20Regular />}
          onClick={() => onOpenLink(note.botChatUrl!)}
        >
          Open the bot chat
        </Button>
      )}
    </>
  );
}

export function PersonCard({ entry, photoUrl, actions, asOf }: PersonCardProps) {
  const s = useStyles();
  const { person, presence } = entry;
  const name = person.displayName;
  const canAct = Boolean(person.userPrincipalName);
  const stale = asOf !== undefined && asOf !== null;
  const { call, dialog } = useCallConfirmation(actions, entry);
  const isDelegator = entry.relationship === 'delegator';
  return (
    <Card className={mergeClasses(s.card, !entry.isActive && s.inactive)} aria-label={name} data-person-id={person.id}>
      <div className={s.header}>
        <PersonAvatar entry={entry} photoUrl={photoUrl} size={48} />
        <div className={s.who}>
          <Text className={s.name}>{name}</Text>
          {(person.jobTitle || person.department) && (
            <Caption1 className={s.muted} data-testid="title">
              {[person.jobTitle, person.department].filter(Boolean).join(', ')}
            </Caption1>
          )}
          <Text data-testid="presence">{presence ? presence.description : 'Presence unknown'}</Text>
          {presence?.statusMessage && <Caption1 data-testid="status-message">“{presence.statusMessage}”</Caption1>}
          {presence?.outOfOffice.isOutOfOffice && presence.outOfOffice.message && (
            <Caption1 data-testid="ooo">Out of office: {presence.outOfOffice.message}</Caption1>
          )}
          {stale && (
            <Caption1 className={s.muted} data-testid="as-of">
              Presence as of {asOf}
            </Caption1>
          )}
        </div>
      </div>
      {!entry.isActive && (
        <Tag appearance="outline" size="small" className={s.inactiveLabel}>
          Inactive delegation
        </Tag>
      )}
      <Body1 data-testid="may-do">{isDelegator ? mayDoFor(entry) : mayDoForMe(entry)}</Body1>
      {entry.permissionLabels.length > 0 && (
        // A plain list: the tags are not interactive, so no focus group (whose sentinels axe flags).
        <ul className={s.tags} aria-label={`Permissions of ${name}`}>
          {entry.permissionLabels.map((p) => (
            <li key={p}>
              <Tag appearance="outline" size="extra-small">
                {p}
              </Tag>
            </li>
          ))}
        </ul>
      )}
      {!stale && (
        <Text className={entry.canTakeCallNow ? s.verdictYes : s.verdictNo} data-testid="verdict">
          {verdictFor(entry)}
        </Text>
      )}
      {isDelegator && entry.isActive && entry.permissions.length > 0 && actions.onOpenCallsApp && (
        <div className={s.callsApp}>
          <Caption1 data-testid="calls-app-hint">{callsAppHint(entry)}</Caption1>
          <Button
            size="small"
            icon={<Open20Regular />}
            aria-label={`Open the Calls app to act for ${name}`}
            onClick={() => actions.onOpenCallsApp!(entry)}
          >
            Open the Calls app
          </Button>
        </div>
      )}
      {actions.watches?.supported && canAct && <WatchControls entry={entry} watches={actions.watches} onOpenLink={actions.onOpenLink} />}
      {canAct && (
        <div className={s.actions}>
          <Tooltip content={`Call ${name}`} relationship="label">
            <Button
              icon={<Call20Regular />}
              appearance={entry.canTakeCallNow && !stale ? 'primary' : 'secondary'}
              onClick={() => call(entry, false)}
            >
              Call
            </Button>
          </Tooltip>
          <Tooltip content={`Video call ${name}`} relationship="label">
            <Button icon={<Video20Regular />} onClick={() => call(entry, true)}>
              Video
            </Button>
          </Tooltip>
          <Tooltip content={`Chat with ${name}`} relationship="label">
            <Button icon={<Chat20Regular />} onClick={() => actions.onChat(entry)}>
              Chat
            </Button>
          </Tooltip>
        </div>
      )}
      {dialog}
    </Card>
  );
}
