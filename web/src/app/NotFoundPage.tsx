import { useEffect } from 'react';
import { Link } from './router.tsx';

export function NotFoundPage({ path }: { path: string }) {
  useEffect(() => {
    document.title = 'Not found · Warden';
  }, []);

  return (
    <div className="page-message page-message-inline">
      <div className="page-message-box">
        <h1 className="page-message-title">Page not found</h1>
        <p className="page-message-detail">
          There is nothing at <code>{path}</code>.
        </p>
        <Link to="/" className="button">
          Go to the map
        </Link>
      </div>
    </div>
  );
}
