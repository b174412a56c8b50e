// The shape of a registered screen (see routes.tsx).
import type { ComponentType } from 'react';
import type { Permission } from '../../../shared/roles';
import type { IconName } from '../components/Icon';
import type { Route } from './router';

export interface ScreenProps {
  /** The current route; `route.params` holds the screen's parameters as strings. */
  route: Route;
}

export interface ScreenDef {
  /** The first path segment: #/<id>?<params>. Lower case letters, digits and dashes. */
  id: string;
  Component: ComponentType<ScreenProps>;
  /** Set to show the screen in the left rail: its label (an i18n key, "ns:key") and icon. */
  nav?: { label: string; icon: IconName; permission?: Permission };
}
