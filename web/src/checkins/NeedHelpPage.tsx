import { Page, Section } from '../ui/Page.tsx';
import { NeedHelpQueue } from './NeedHelpQueue.tsx';

/** Every need-help case in the user's scope, across alerts. */
export default function NeedHelpPage() {
  return (
    <Page title="Need help" testId="need-help-page" wide>
      <Section title="People who answered “I need help”">
        <NeedHelpQueue />
      </Section>
    </Page>
  );
}
