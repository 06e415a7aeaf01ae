// The frame's top bar: who is signed in (user, role, ward, offline mode, with "Sign in online" once
// the hub answers again), the screens the role may open, the "Lock" button and the menu (Set PIN,
// keyboard shortcuts, sign out).
import { Button, Menu, MenuItem, MenuTrigger, Popover } from 'react-aria-components';
import type { SessionViewData } from '../../../shared/contract/index.js';
import { may, roleName } from './role-abilities.js';
import { shortcut } from './shortcuts.js';
import type { View } from './views.js';

export interface TopBarProps {
  readonly session: SessionViewData;
  readonly view: View;
  readonly conflicts: number | null;
  readonly onNavigate: (view: View) => void;
  readonly onLock: () => void;
  readonly onSignOut: () => void;
  readonly onSetPin: () => void;
  readonly onHelp: () => void;
  /** Given while the hub answers: a session signed in offline may sign in online from here. */
  readonly onSignInOnline?: () => void;
}

type MenuKey = 'set-pin' | 'help' | 'sign-out';

export function TopBar(props: TopBarProps): React.JSX.Element {
  const { session, view } = props;
  const role = session.role;
  const current = (screen: View['screen']): 'page' | undefined =>
    view.screen === screen || (screen === 'census' && view.screen === 'chart') ? 'page' : undefined;
  const ward = session.scope.length === 0 ? 'no ward' : session.scope.join(', ');

  return (
    <header className="top-bar">
      <p className="top-bar__brand">Wardline</p>
      <nav aria-label="Screens" className="top-bar__nav">
        {may(role, 'census:read') ? (
          <button
            type="button"
            className="nav-button"
            aria-current={current('census')}
            onClick={() => props.onNavigate({ screen: 'census' })}
          >
            Census
          </button>
        ) : null}
        {may(role, 'chart:read') ? (
          <button
            type="button"
            className="nav-button"
            aria-current={current('conflicts')}
            aria-keyshortcuts="Alt+C"
            onClick={() => props.onNavigate({ screen: 'conflicts' })}
          >
            Conflicts{props.conflicts === null ? '' : ` (${props.conflicts})`}
          </button>
        ) : null}
        {may(role, 'audit:view') ? (
          <button
            type="button"
            className="nav-button"
            aria-current={current('audit')}
            onClick={() => props.onNavigate({ screen: 'audit' })}
          >
            Audit trail
          </button>
        ) : null}
        {may(role, 'policy:view') ? (
          <button
            type="button"
            className="nav-button"
            aria-current={current('policy')}
            onClick={() => props.onNavigate({ screen: 'policy' })}
          >
            Policy
          </button>
        ) : null}
      </nav>
      <p className="top-bar__who">
        <span className="top-bar__user">{session.username}</span>
        <span>{roleName(role)}</span>
        <span>Ward {ward}</span>
        {session.mode === 'offline' ? <span className="badge badge--offline">Signed in offline</span> : null}
        {session.mode === 'offline' && props.onSignInOnline !== undefined ? (
          <button type="button" className="button button--small" onClick={props.onSignInOnline}>
            Sign in online
          </button>
        ) : null}
      </p>
      <div className="top-bar__actions">
        <button type="button" className="button button--lock" aria-keyshortcuts={shortcut('lock').aria} onClick={props.onLock}>
          Lock
        </button>
        <MenuTrigger>
          <Button className="button">Menu</Button>
          <Popover className="popover" placement="bottom end">
            <Menu
              className="menu"
              aria-label="Account"
              onAction={(key) => {
                const action = key as MenuKey;
                if (action === 'set-pin') props.onSetPin();
                else if (action === 'help') props.onHelp();
                else props.onSignOut();
              }}
            >
              <MenuItem id="set-pin" className="menu__item">
                Set PIN…
              </MenuItem>
              <MenuItem id="help" className="menu__item">
                Keyboard shortcuts
              </MenuItem>
              <MenuItem id="sign-out" className="menu__item">
                Sign out
              </MenuItem>
            </Menu>
          </Popover>
        </MenuTrigger>
      </div>
    </header>
  );
}
