import { useState } from 'react';
import type { Preview } from './client.ts';

const LANGUAGE_NAMES: Record<string, string> = { en: 'English', fr: 'Français', ar: 'العربية' };

/** Exactly what each channel shows in each language: email, SMS (with its segments), webhook JSON. */
export function Previews({ previews }: { previews: readonly Preview[] }) {
  const [lang, setLang] = useState(previews[0]?.language ?? 'en');
  const p = previews.find((x) => x.language === lang) ?? previews[0];
  if (!p) return null;
  return (
    <div className="alert-previews" data-testid="alert-previews">
      <div className="tabs" role="tablist">
        {previews.map((x) => (
          <button
            key={x.language}
            type="button"
            role="tab"
            aria-selected={x.language === p.language}
            className={x.language === p.language ? 'tab tab-active' : 'tab'}
            onClick={() => setLang(x.language)}
          >
            {LANGUAGE_NAMES[x.language] ?? x.language}
          </button>
        ))}
      </div>
      <h3 className="small">Email</h3>
      <p data-testid="preview-subject">
        <strong>{p.email.subject}</strong>
      </p>
      <pre className="prewrap alert-preview-text" dir="auto">
        {p.email.text}
      </pre>
      <h3 className="small">
        SMS · <span data-testid="preview-sms-segments">{p.sms.segments}</span>{' '}
        {p.sms.segments === 1 ? 'segment' : 'segments'} ({p.sms.encoding})
        {p.sms.truncated ? ' · shortened to fit' : ''}
      </h3>
      <pre className="prewrap alert-preview-text" dir="auto" data-testid="preview-sms">
        {p.sms.text}
      </pre>
      <h3 className="small">Webhook</h3>
      <pre className="alert-preview-text">{JSON.stringify(p.webhook, null, 2)}</pre>
    </div>
  );
}
