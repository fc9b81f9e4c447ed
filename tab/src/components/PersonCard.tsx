/** One person in a delegation relationship: who, presence in words, permissions, and actions. */
import {
  Avatar,
  Button,
  Caption1,
  Card,
  Text,
  Tag,
  TagGroup,
  Tooltip,
  makeStyles,
  mergeClasses,
  tokens,
  type PresenceBadgeStatus,
} from '@fluentui/react-components';
import { Call20Regular, Chat20Regular, Video20Regular } from '@fluentui/react-icons';
import type { DelegationEntry } from '../../../shared/domain/delegationView';

const useStyles = makeStyles({
  card: { display: 'flex', flexDirection: 'column', gap: '8px', padding: '12px' },
  header: { display: 'flex', gap: '12px', alignItems: 'flex-start' },
  who: { display: 'flex', flexDirection: 'column', minWidth: 0 },
  name: { fontWeight: tokens.fontWeightSemibold },
  muted: { color: tokens.colorNeutralForeground3 },
  verdictYes: { color: tokens.colorPaletteGreenForeground1, fontWeight: tokens.fontWeightSemibold },
  verdictNo: { color: tokens.colorNeutralForeground2 },
  actions: { display: 'flex', gap: '4px', flexWrap: 'wrap' },
  inactive: { opacity: 0.75 },
  tags: { display: 'flex', flexWrap: 'wrap', gap: '4px' },
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

export function PersonCard({ entry, photoUrl, actions }: { entry: DelegationEntry; photoUrl?: string | null; actions: PersonActions }) {
  const s = useStyles();
  const { person, presence } = entry;
  const name = person.displayName;
  const canAct = Boolean(person.userPrincipalName);
  return (
    <Card className={mergeClasses(s.card, !entry.isActive && s.inactive)} aria-label={name} data-person-id={person.id}>
      <div className={s.header}>
        <PersonAvatar entry={entry} photoUrl={photoUrl} size={48} />
        <div className={s.who}>
          <Text className={s.name}>{name}</Text>
          {(person.jobTitle || person.department) && (
            <Caption1 className={s.muted}>{[person.jobTitle, person.department].filter(Boolean).join(', ')}</Caption1>
          )}
          <Text data-testid="presence">{presence ? presence.description : 'Presence unknown'}</Text>
          {presence?.statusMessage && <Caption1 data-testid="status-message">“{presence.statusMessage}”</Caption1>}
          {presence?.outOfOffice.isOutOfOffice && presence.outOfOffice.message && (
            <Caption1 data-testid="ooo">Out of office: {presence.outOfOffice.message}</Caption1>
          )}
          {!entry.isActive && <Caption1 className={s.muted}>Inactive delegation</Caption1>}
        </div>
      </div>
      {entry.permissionLabels.length > 0 ? (
        <TagGroup className={s.tags} aria-label={`Permissions of ${name}`} size="extra-small">
          {entry.permissionLabels.map((p) => (
            <Tag key={p} appearance="outline" size="extra-small">
              {p}
            </Tag>
          ))}
        </TagGroup>
      ) : (
        entry.relationship === 'delegate' && <Caption1 className={s.muted}>No call permissions granted</Caption1>
      )}
      <Text className={entry.canTakeCallNow ? s.verdictYes : s.verdictNo} data-testid="verdict">
        {entry.reason}
      </Text>
      {canAct && (
        <div className={s.actions}>
          <Tooltip content={`Call ${name}`} relationship="label">
            <Button
              icon={<Call20Regular />}
              appearance={entry.canTakeCallNow ? 'primary' : 'secondary'}
              onClick={() => actions.onCall(entry, false)}
            >
              Call
            </Button>
          </Tooltip>
          <Tooltip content={`Video call ${name}`} relationship="label">
            <Button icon={<Video20Regular />} onClick={() => actions.onCall(entry, true)}>
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
    </Card>
  );
}
