// Who may do what. Enforced in the service (electron/service), shown in the UI; the UI's view is
// a courtesy, the service's check is the rule.
import type { Role } from './domain';

export const PERMISSIONS = [
  'users.manage', // add and remove users, reset another user's passphrase
  'cases.write', // create and edit cases
  'persons.write', // record persons in a case
  'items.add', // take in evidence
  'items.edit', // edit item metadata, exhibit numbers
  'items.transfer', // record custody transfers of physical exhibits
  'items.read', // view and export evidence
  'persons.reveal', // see a protected person's real name (logged)
  'bundles.write', // build and save court bundles
  'audit.run', // run the vault audit
  'vault.maintain', // delete leftovers of interrupted writes (kesi cleanup)
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = ['items.read', 'audit.run'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  investigator: [
    ...READ,
    'cases.write',
    'persons.write',
    'items.add',
    'items.edit',
    'items.transfer',
    'persons.reveal',
  ],
  lawyer: [...READ, 'items.edit', 'bundles.write', 'persons.reveal'],
  auditor: READ,
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
