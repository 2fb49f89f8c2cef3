import { Fragment, useEffect } from 'react';
import { usePath } from '../app/router.tsx';
import { CheckinPage } from './CheckinPage.tsx';
import { ConfirmPresencePage } from './ConfirmPresencePage.tsx';
import { EnrollPage } from './EnrollPage.tsx';
import { ManagePage } from './ManagePage.tsx';
import { PrivacyPage } from './PrivacyPage.tsx';
import { PublicLayout, PublicPage } from './PublicLayout.tsx';
import { RosterCheckinPage } from './RosterCheckinPage.tsx';
import { SubscribePage, SubscribeVerifyPage } from './SubscribePage.tsx';
import { SubscriptionManagePage } from './SubscriptionManagePage.tsx';
import { VerifyPage } from './VerifyPage.tsx';

function route(path: string) {
  switch (path.replace(/\/+$/, '')) {
    case '/enroll':
      return <EnrollPage />;
    case '/enroll/verify':
      return <VerifyPage />;
    case '/enroll/manage':
      return <ManagePage />;
    case '/enroll/confirm':
      return <ConfirmPresencePage />;
    case '/subscribe':
      return <SubscribePage />;
    case '/subscribe/verify':
      return <SubscribeVerifyPage />;
    case '/subscribe/manage':
      return <SubscriptionManagePage />;
    case '/privacy':
      return <PrivacyPage />;
    case '/checkin':
      return <CheckinPage />;
    case '/roster-checkin':
      return <RosterCheckinPage />;
    default:
      return (
        <PublicPage title="Page not found" testId="public-not-found">
          <p>There is no page at this address. Check the link, or start from the enrollment page.</p>
        </PublicPage>
      );
  }
}

/** The public side of the console, outside the staff shell. */
export default function PublicApp() {
  const path = usePath();
  useEffect(() => {
    void path;
    window.scrollTo(0, 0);
  }, [path]);
  // Keyed by path: each page starts afresh when the traveller follows a link to another.
  return (
    <PublicLayout>
      <Fragment key={path}>{route(path)}</Fragment>
    </PublicLayout>
  );
}
