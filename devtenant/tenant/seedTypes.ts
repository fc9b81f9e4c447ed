/**
 * The shape of a dev tenant seed file (devtenant/seed/*.json). Human-editable: every field that has a
 * sensible default may be left out. Validated by `parseSeed` with a message naming the bad field.
 */
import { z } from 'zod/v4';

export const availabilityValues = [
  'Available',
  'AvailableIdle',
  'Away',
  'BeRightBack',
  'Busy',
  'BusyIdle',
  'DoNotDisturb',
  'Offline',
  'PresenceUnknown',
] as const;
export const activityValues = [
  'Available',
  'Away',
  'BeRightBack',
  'Busy',
  'DoNotDisturb',
  'InACall',
  'InAConferenceCall',
  'Inactive',
  'InAMeeting',
  'Offline',
  'OffWork',
  'OutOfOffice',
  'PresenceUnknown',
  'Presenting',
  'UrgentInterruptionsOnly',
] as const;
export const workLocationTypes = ['unspecified', 'office', 'remote', 'timeOff'] as const;
export const allowedActionNames = [
  'makeCalls',
  'receiveCalls',
  'manageCallAndDelegateSettings',
  'pickUpHeldCalls',
  'joinActiveCalls',
] as const;
export type AllowedActionName = (typeof allowedActionNames)[number];

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');

export const presenceSeedSchema = z.object({
  availability: z.enum(availabilityValues),
  activity: z.enum(activityValues),
  statusMessage: z.string().optional(),
  outOfOfficeMessage: z.string().optional(),
  workLocation: z.enum(workLocationTypes).optional(),
});
export type PresenceSeed = z.infer<typeof presenceSeedSchema>;

export const userSeedSchema = z.object({
  id: guid,
  givenName: z.string().min(1),
  surname: z.string().min(1),
  displayName: z.string().optional(),
  /** Local part only or a full UPN; a local part gets the tenant's domain. */
  userPrincipalName: z.string().min(1),
  jobTitle: z.string().nullable().optional(),
  department: z.string().nullable().optional(),
  officeLocation: z.string().nullable().optional(),
  businessPhones: z.array(z.string()).default([]),
  mobilePhone: z.string().nullable().optional(),
  preferredLanguage: z.string().nullable().default('en-US'),
  /** A generated photo is served for this user when true. */
  hasPhoto: z.boolean().default(true),
  /** Teams calling policy AllowDelegation; false makes the call delegation API answer 403. */
  allowDelegation: z.boolean().default(true),
  /** Whether the user has consented to the app's Graph scopes (false: OBO fails with AADSTS65001). */
  consented: z.boolean().default(true),
  /** Conditional access requires MFA for Graph: OBO without an MFA-satisfied assertion fails with AADSTS50076. */
  requiresMfa: z.boolean().default(false),
  /** How the scheduled presence behaves: which states are likely over a working day. */
  presenceProfile: z.enum(['executive', 'assistant', 'engineer', 'sales', 'support', 'onLeave', 'parttime']).default('engineer'),
  /** When set, the presence stays at this value instead of following the schedule. */
  presence: presenceSeedSchema.optional(),
});
export type UserSeed = z.infer<typeof userSeedSchema>;

export const delegationSeedSchema = z.object({
  /** UPN (or local part) of the manager whose calls are delegated. */
  delegator: z.string().min(1),
  /** UPN (or local part) of the person who handles them. */
  delegate: z.string().min(1),
  isActive: z.boolean().default(true),
  createdDateTime: z.string().datetime({ offset: true }).optional(),
  allowedActions: z
    .object({
      makeCalls: z.boolean().default(false),
      receiveCalls: z.boolean().default(false),
      manageCallAndDelegateSettings: z.boolean().default(false),
      pickUpHeldCalls: z.boolean().default(false),
      joinActiveCalls: z.boolean().default(false),
    })
    .default({
      makeCalls: false,
      receiveCalls: false,
      manageCallAndDelegateSettings: false,
      pickUpHeldCalls: false,
      joinActiveCalls: false,
    }),
});
export type DelegationSeed = z.infer<typeof delegationSeedSchema>;

export const seedSchema = z.object({
  tenant: z.object({
    id: guid,
    displayName: z.string(),
    domain: z.string().min(3),
  }),
  app: z.object({
    clientId: guid,
    displayName: z.string(),
    /** Dev-only secret: the dev tenant accepts it for client authentication. Not a real credential. */
    clientSecret: z.string().min(8),
    /** Domain in the App ID URI api://<domain>/botid-<clientId>. */
    domain: z.string().default('localhost'),
    /** 1 (v1 tokens, aud = App ID URI) or 2 (v2 tokens, aud = client id). */
    accessTokenAcceptedVersion: z.union([z.literal(1), z.literal(2)]).default(2),
    /** Delegated Graph scopes the app asks users to consent to. */
    delegatedScopes: z.array(z.string()),
    /** Application permissions an admin granted (used by client_credentials tokens). */
    applicationPermissions: z.array(z.string()),
  }),
  /** Password every seeded user signs in with in the dev tenant. */
  userPassword: z.string().min(4),
  users: z.array(userSeedSchema).min(1),
  delegations: z.array(delegationSeedSchema).default([]),
});
export type Seed = z.infer<typeof seedSchema>;
export type SeedInput = z.input<typeof seedSchema>;

export function parseSeed(json: unknown, source = 'seed'): Seed {
  const result = seedSchema.safeParse(json);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Invalid dev tenant ${source}:\n${lines.join('\n')}`);
  }
  return result.data;
}
