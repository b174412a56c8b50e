// The screens of the signed-in app, one line each.
//
// To add a screen: write it under screens/<name>/ as a component taking ScreenProps, import it
// here and add one line to SCREENS, e.g.
//   { id: 'audit', Component: AuditScreen, nav: { label: 'audit:nav', permission: 'audit.run' } },
// It is then at #/<id>. Go there with `useNavigation().navigate({ screen: 'audit' })`, or link
// with `href({ screen: 'item', itemId: 5 })`; parameters arrive as strings in
// `props.route.params` (`intParam(route.params, 'itemId')` for numbers). With `nav`, the screen
// is in the left rail (label: an i18n key "namespace:key"; an icon), for users whose role has
// the permission, in the order of this list. Without `nav`, it is reached by links only. A case's
// bundles are its Bundles tab; #/bundles?ref=<case> leads there.
import type { ScreenDef } from './screen';
import { AuditScreen } from '../screens/audit/AuditScreen';
import { BundlesScreen } from '../screens/bundles/BundlesScreen';
import { CaseScreen } from '../screens/case/CaseScreen';
import { CasesScreen } from '../screens/cases/CasesScreen';
import { ItemScreen } from '../screens/item/ItemScreen';
import { SearchScreen } from '../screens/search/SearchScreen';
import { SettingsScreen } from '../screens/settings/SettingsScreen';
import { UsersScreen } from '../screens/users/UsersScreen';

export const SCREENS: readonly ScreenDef[] = [
  { id: 'cases', Component: CasesScreen, nav: { label: 'common:nav.cases', icon: 'cases' } },
  { id: 'case', Component: CaseScreen },
  { id: 'item', Component: ItemScreen },
  { id: 'search', Component: SearchScreen, nav: { label: 'common:nav.search', icon: 'search' } },
  {
    id: 'audit',
    Component: AuditScreen,
    nav: { label: 'audit:nav', icon: 'audit', permission: 'audit.run' },
  },
  { id: 'bundles', Component: BundlesScreen },
  {
    id: 'settings',
    Component: SettingsScreen,
    nav: { label: 'common:nav.settings', icon: 'settings' },
  },
  {
    id: 'users',
    Component: UsersScreen,
    nav: { label: 'common:nav.users', icon: 'users', permission: 'users.manage' },
  },
];
