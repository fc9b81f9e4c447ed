/** The five call delegation permissions, in the order people read them, with plain words. */
export const PERMISSIONS = ['makeCalls', 'receiveCalls', 'pickUpHeldCalls', 'joinActiveCalls', 'manageCallAndDelegateSettings'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const PERMISSION_LABELS: Record<Permission, string> = {
  makeCalls: 'Make calls',
  receiveCalls: 'Receive calls',
  pickUpHeldCalls: 'Pick up held calls',
  joinActiveCalls: 'Join active calls',
  manageCallAndDelegateSettings: 'Manage call settings',
};

export function grantedPermissions(allowed: Partial<Record<string, unknown>> | null | undefined): Permission[] {
  return PERMISSIONS.filter((p) => allowed?.[p] === true);
}
