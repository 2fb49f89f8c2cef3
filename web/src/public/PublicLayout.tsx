import { type ReactNode, useEffect } from 'react';
import { Link } from '../app/router.tsx';
import './public.css';

// The traveller's side of Warden: no staff bar, no sign-in, readable on a phone.

export function PublicLayout({ children }: { children: ReactNode }) {
  return (
    <div className="public">
      <a className="skip-link" href="#public-main">
        Skip to content
      </a>
      <header className="public-header">
        <div className="public-header-inner">
          {/* The public site's home is server-rendered (src/site), so a plain link, not the app router. */}
          <a href="/" className="brand">
            <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
              <path d="M16 2 4 7v8c0 7.4 5.1 13.3 12 15 6.9-1.7 12-7.6 12-15V7z" />
            </svg>
            <span className="brand-name">Warden</span>
            <span className="public-tagline">Travel safety</span>
          </a>
          <nav aria-label="Traveller pages" className="public-nav">
            <ul>
              <li>
                <Link to="/enroll" className="nav-link">
                  Enroll
                </Link>
              </li>
              <li>
                <Link to="/enroll/manage" className="nav-link" data-testid="public-nav-manage">
                  My enrollment
                </Link>
              </li>
              <li>
                <Link to="/subscribe" section className="nav-link">
                  Advisory emails
                </Link>
              </li>
            </ul>
          </nav>
        </div>
      </header>
      <main id="public-main" className="public-main" tabIndex={-1}>
        {children}
      </main>
      <footer className="public-footer">
        <p>
          Your details are encrypted and used only for your safety abroad.{' '}
          <Link to="/privacy">Privacy notice</Link>
        </p>
      </footer>
    </div>
  );
}

interface PageProps {
  title: string;
  lead?: ReactNode;
  testId?: string;
  children: ReactNode;
}

export function PublicPage({ title, lead, testId, children }: PageProps) {
  useEffect(() => {
    document.title = `${title} · Warden`;
  }, [title]);
  return (
    <article className="public-page" data-testid={testId}>
      <h1 className="public-title">{title}</h1>
      {lead ? <p className="public-lead">{lead}</p> : null}
      {children}
    </article>
  );
}
