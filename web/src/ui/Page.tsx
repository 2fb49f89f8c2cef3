import { type ReactNode, useEffect } from 'react';
import type { Resource } from '../app/useResource.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

interface PageProps {
  title: string;
  /** document.title when it should differ from the heading. */
  docTitle?: string;
  /** Small line above the heading, e.g. a breadcrumb link. */
  eyebrow?: ReactNode;
  /** Right-hand header content: actions. */
  actions?: ReactNode;
  /** Under the heading: badges, a summary line. */
  meta?: ReactNode;
  wide?: boolean;
  testId?: string;
  children: ReactNode;
}

export function Page({ title, docTitle, eyebrow, actions, meta, wide = false, testId, children }: PageProps) {
  useEffect(() => {
    document.title = `${docTitle ?? title} · Warden`;
  }, [title, docTitle]);
  return (
    <div className="page" data-testid={testId}>
      <div className={wide ? 'page-inner page-inner-wide' : 'page-inner'}>
        <header className="page-header">
          <div className="page-heading">
            {eyebrow ? <div className="page-eyebrow">{eyebrow}</div> : null}
            <h1 className="page-title">{title}</h1>
            {meta ? <div className="page-meta">{meta}</div> : null}
          </div>
          {actions ? <div className="page-actions">{actions}</div> : null}
        </header>
        {children}
      </div>
    </div>
  );
}

/** Loading / error states of a resource; renders children only once it is loaded. */
export function Loaded<T>({
  resource,
  onRetry,
  what,
  children,
}: {
  resource: Resource<T>;
  onRetry?: () => void;
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (resource.status === 'idle') return null;
  if (resource.status === 'loading') {
    return (
      <p className="loading" role="status">
        Loading {what}…
      </p>
    );
  }
  if (resource.status === 'error') {
    return <ErrorNotice error={resource.error} title={`Could not load ${what}`} onRetry={onRetry} />;
  }
  return <>{children(resource.data)}</>;
}

export function Section({
  title,
  actions,
  children,
  testId,
  id,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
  id?: string;
}) {
  return (
    <section className="card" data-testid={testId} aria-labelledby={id ? `${id}-title` : undefined} id={id}>
      <div className="card-header">
        <h2 className="card-title" id={id ? `${id}-title` : undefined}>
          {title}
        </h2>
        {actions ? <div className="card-actions">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}
