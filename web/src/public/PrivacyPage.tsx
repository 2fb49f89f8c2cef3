import { Link } from '../app/router.tsx';
import { PublicPage } from './PublicLayout.tsx';

/** The privacy notice the enroll form's consent links to. Keep it true to what the server does. */
export function PrivacyPage() {
  return (
    <PublicPage
      title="Privacy notice"
      testId="privacy-page"
      lead="What we keep when you enroll, how we protect it, how long we keep it, and what you can do about it."
    >
      <div className="prose">
        <h2>What we store</h2>
        <ul>
          <li>Your name, and the email address and/or mobile number you give us.</li>
          <li>The language you want messages in.</li>
          <li>Your emergency contact: a name, and optionally their phone and email.</li>
          <li>
            Your trips: the country, the town, point or “anywhere in the country” you chose, and your arrival
            and departure dates.
          </li>
          <li>An optional webhook address (for organisations that receive alerts in their own systems).</li>
          <li>
            When you agreed to this notice, and which messages we sent you and whether they were delivered.
          </li>
        </ul>

        <h2>Why</h2>
        <p>
          Only to send you safety alerts for the places you will be, to ask whether you are safe after an
          event, and to reach your emergency contact if we cannot reach you. We do not sell or share your
          details, and we never use them for marketing.
        </p>

        <h2>How we protect it</h2>
        <ul>
          <li>
            Your name and contact details are encrypted with a key of their own, one per person. Staff see
            them only when they open your enrollment for a reason, and every such look is recorded in an audit
            log.
          </li>
          <li>
            To find your enrollment from your email address or phone number we store a keyed fingerprint of
            it, not the address itself.
          </li>
          <li>Staff maps show only how many people are in a country or region, never who.</li>
          <li>
            The links we email you carry their code after a “#”, so it is never sent to or logged by our
            server.
          </li>
        </ul>

        <h2>How long we keep it</h2>
        <ul>
          <li>Until 30 days after your last trip ends; then it is deleted.</li>
          <li>
            If you live abroad or gave no departure date: for as long as you stay enrolled. Every three months
            we ask you to confirm that you are still there.
          </li>
          <li>If you never confirm your email address or phone number, 7 days.</li>
          <li>
            When you delete your enrollment, we destroy your key at once, which makes every copy of your
            encrypted details unreadable.
          </li>
        </ul>

        <h2>Travel advice emails</h2>
        <p>
          If you subscribe to travel advice by email, we keep your address (encrypted), your countries, how
          often you want email and your language. An unconfirmed subscription is deleted after 7 days;
          unsubscribing deletes it at once.
        </p>

        <h2>Your rights</h2>
        <ul>
          <li>
            <strong>See and download</strong> everything we hold about you, and <strong>correct</strong> it,
            on <Link to="/enroll/manage">My enrollment</Link>.
          </li>
          <li>
            <strong>Withdraw your consent</strong>: stop all messages, or delete your enrollment, at any time
            on the same page.
          </li>
          <li>
            <strong>Complain</strong> to your data-protection authority if you think we mishandled your data.
          </li>
        </ul>
      </div>
      <p>
        <Link to="/enroll">Back to enrollment</Link>
      </p>
    </PublicPage>
  );
}
