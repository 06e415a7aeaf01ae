// The frame's screens and which a role may open; the view restored after a PIN unlock is checked
// against the role, so a saved id never opens a screen the user was not offered.
import type { SessionViewData } from '../../../shared/contract/index.js';
import type { SavedView } from '../lib/view-state.js';
import { may } from './role-abilities.js';

export type View =
  | { readonly screen: 'census' }
  | { readonly screen: 'chart'; readonly patientId: string }
  | { readonly screen: 'conflicts' }
  | { readonly screen: 'audit' }
  | { readonly screen: 'policy' };

export function mayOpen(role: SessionViewData['role'], view: View): boolean {
  switch (view.screen) {
    case 'census':
      return may(role, 'census:read');
    case 'chart':
    case 'conflicts':
      return may(role, 'chart:read');
    case 'audit':
      return may(role, 'audit:view');
    case 'policy':
      return may(role, 'policy:view');
  }
}

/** Where a role starts: the census, or for an admin the audit trail. */
export function homeView(role: SessionViewData['role']): View {
  if (may(role, 'census:read')) return { screen: 'census' };
  if (may(role, 'audit:view')) return { screen: 'audit' };
  return { screen: 'policy' };
}

/** The saved view if the role may open it, else the home view. */
export function restoredView(role: SessionViewData['role'], saved: SavedView | null): View {
  if (saved === null) return homeView(role);
  const view: View = saved.screen === 'chart' ? { screen: 'chart', patientId: saved.patientId } : { screen: saved.screen };
  return mayOpen(role, view) ? view : homeView(role);
}
