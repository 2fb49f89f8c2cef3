import type { User } from '../auth.ts';
import { Link } from '../router.tsx';
import { UserMenu } from './UserMenu.tsx';

interface Props {
  user: User;
  onSignedOut: () => void;
}

export function TopBar({ user, onSignedOut }: Props) {
  return (
    <header className="topbar">
      <Link to="/" className="brand" aria-label="Warden home">
        <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
          <path d="M16 2 4 7v8c0 7.4 5.1 13.3 12 15 6.9-1.7 12-7.6 12-15V7z" />
        </svg>
        <span className="brand-name">Warden</span>
      </Link>
      <nav className="topbar-nav" aria-label="Main">
        <ul>
          <li>
            <Link to="/" className="nav-link" data-testid="nav-map">
              Map
            </Link>
          </li>
        </ul>
      </nav>
      <UserMenu user={user} onSignedOut={onSignedOut} />
    </header>
  );
}
