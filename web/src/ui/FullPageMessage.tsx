import type { ReactNode } from 'react';

interface Props {
  title: string;
  detail?: string;
  busy?: boolean;
  /** Inside the app shell rather than replacing the whole page. */
  inline?: boolean;
  children?: ReactNode;
}

export function FullPageMessage({ title, detail, busy = false, inline = false, children }: Props) {
  return (
    <div className={inline ? 'page-message page-message-inline' : 'page-message'} aria-busy={busy}>
      <div className="page-message-box" role={busy ? 'status' : 'alert'}>
        <p className="page-message-title">{title}</p>
        {detail ? <p className="page-message-detail">{detail}</p> : null}
        {children}
      </div>
    </div>
  );
}
