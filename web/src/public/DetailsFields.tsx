import { FieldError, fieldId, TextField } from '../ui/Field.tsx';
import type { FieldErrors } from './fieldErrors.ts';
import { languageOptions, messageLanguageHint } from './languages.ts';

// The person: name, how to reach them, their language and who to call for them. Shared by the
// enroll form and the manage page.

export interface DetailsDraft {
  name: string;
  email: string;
  phone: string;
  language: string;
  ecName: string;
  ecPhone: string;
  ecEmail: string;
  webhookUrl: string;
}

export const DETAIL_KEYS = [
  'name',
  'email',
  'phone',
  'language',
  'emergencyContact/name',
  'emergencyContact/phone',
  'emergencyContact/email',
  'webhookUrl',
] as const;

const LABELS: Record<string, string> = {
  name: 'Your name',
  email: 'Email',
  phone: 'Mobile phone',
  language: 'Language',
  'emergencyContact/name': 'Emergency contact’s name',
  'emergencyContact/phone': 'Emergency contact’s phone',
  'emergencyContact/email': 'Emergency contact’s email',
  webhookUrl: 'Webhook URL',
  consent: 'Privacy notice',
};

const ERROR_KEYS: Record<keyof DetailsDraft, readonly string[]> = {
  name: ['name'],
  // One of the two is needed: editing either answers "give an email or a phone".
  email: ['email', 'phone'],
  phone: ['email', 'phone'],
  language: ['language'],
  ecName: ['emergencyContact/name'],
  ecPhone: ['emergencyContact/phone'],
  ecEmail: ['emergencyContact/email'],
  webhookUrl: ['webhookUrl'],
};

/** The error keys a change to these fields answers. */
export function editedKeys(patch: Partial<DetailsDraft>): (key: string) => boolean {
  const keys = new Set(Object.keys(patch).flatMap((k) => ERROR_KEYS[k as keyof DetailsDraft] ?? []));
  return (key) => keys.has(key);
}

export const detailLabel = (key: string): string | null => LABELS[key] ?? null;

const E164_HINT = 'With the country code, e.g. +44 7911 123456.';

/** What the browser can check before sending; the server checks again (and normalises). */
export function detailProblems(d: DetailsDraft): FieldErrors {
  const out: FieldErrors = {};
  if (!d.name.trim()) out.name = 'Enter your name.';
  if (!d.email.trim() && !d.phone.trim()) out.email = 'Give an email address or a mobile number (or both).';
  if (d.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(d.email.trim()))
    out.email = 'Enter an email address like name@example.org.';
  if (d.phone.trim() && !/^\+[\d\s().-]{6,}$/.test(d.phone.trim()))
    out.phone = `Enter the number in international form. ${E164_HINT}`;
  if (!d.ecName.trim()) out['emergencyContact/name'] = 'Enter the name of someone we can contact for you.';
  if (d.ecPhone.trim() && !/^\+[\d\s().-]{6,}$/.test(d.ecPhone.trim()))
    out['emergencyContact/phone'] = `Enter the number in international form. ${E164_HINT}`;
  if (d.ecEmail.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(d.ecEmail.trim()))
    out['emergencyContact/email'] = 'Enter an email address like name@example.org.';
  if (d.webhookUrl.trim() && !/^https:\/\//i.test(d.webhookUrl.trim()))
    out.webhookUrl = 'Use an https:// address.';
  return out;
}

export function emergencyContactOf(d: DetailsDraft) {
  return {
    name: d.ecName.trim(),
    ...(d.ecPhone.trim() ? { phone: d.ecPhone.trim() } : {}),
    ...(d.ecEmail.trim() ? { email: d.ecEmail.trim() } : {}),
  };
}

interface Props {
  value: DetailsDraft;
  onChange: (patch: Partial<DetailsDraft>) => void;
  errors: FieldErrors;
  /** Shown under the email field on the manage page: a change is verified again. */
  emailHint?: string;
}

export function DetailsFields({ value, onChange, errors, emailHint }: Props) {
  const languageId = fieldId('language');
  return (
    <>
      <fieldset className="fieldset-plain form" data-testid="details-you">
        <legend className="public-legend">About you</legend>
        <TextField
          name="name"
          label={LABELS.name}
          value={value.name}
          onChange={(name) => onChange({ name })}
          error={errors.name}
          autoComplete="name"
          maxLength={200}
        />
        <div className="form-row">
          <TextField
            name="email"
            type="email"
            label={LABELS.email}
            value={value.email}
            onChange={(email) => onChange({ email })}
            error={errors.email}
            hint={emailHint ?? 'We send a link to confirm it.'}
            autoComplete="email"
            inputMode="email"
            maxLength={254}
          />
          <TextField
            name="phone"
            type="tel"
            label={LABELS.phone}
            value={value.phone}
            onChange={(phone) => onChange({ phone })}
            error={errors.phone}
            hint={`For text messages. ${E164_HINT}`}
            autoComplete="tel"
            inputMode="tel"
            maxLength={64}
          />
        </div>
        <p className="field-hint">Give an email address, a mobile number, or both.</p>
        <div className="field field-narrow">
          <label htmlFor={languageId}>Language for messages</label>
          <select
            id={languageId}
            value={value.language}
            onChange={(e) => onChange({ language: e.target.value })}
            aria-invalid={errors.language ? true : undefined}
            aria-describedby={errors.language ? `${languageId}-error` : `${languageId}-hint`}
            data-testid="language"
          >
            {languageOptions(value.language).map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>
          <p className="field-hint" id={`${languageId}-hint`} data-testid="language-hint">
            {messageLanguageHint(value.language)}
          </p>
          <FieldError id={languageId} error={errors.language} />
        </div>
      </fieldset>

      <fieldset className="fieldset-plain form" data-testid="details-emergency">
        <legend className="public-legend">Emergency contact</legend>
        <p className="field-hint">
          Someone at home we may contact if we cannot reach you in a crisis. Tell them you named them.
        </p>
        <TextField
          name="emergencyContact/name"
          label="Name"
          value={value.ecName}
          onChange={(ecName) => onChange({ ecName })}
          error={errors['emergencyContact/name']}
          maxLength={200}
        />
        <div className="form-row">
          <TextField
            name="emergencyContact/phone"
            type="tel"
            label="Phone"
            optional
            value={value.ecPhone}
            onChange={(ecPhone) => onChange({ ecPhone })}
            error={errors['emergencyContact/phone']}
            inputMode="tel"
            maxLength={64}
          />
          <TextField
            name="emergencyContact/email"
            type="email"
            label="Email"
            optional
            value={value.ecEmail}
            onChange={(ecEmail) => onChange({ ecEmail })}
            error={errors['emergencyContact/email']}
            inputMode="email"
            maxLength={254}
          />
        </div>
      </fieldset>

      <details className="public-advanced" open={!!value.webhookUrl || !!errors.webhookUrl}>
        <summary>For organisations: deliver alerts to a webhook</summary>
        <TextField
          name="webhookUrl"
          type="url"
          label={LABELS.webhookUrl}
          optional
          value={value.webhookUrl}
          onChange={(webhookUrl) => onChange({ webhookUrl })}
          error={errors.webhookUrl}
          hint="An https:// address of your own system. Alerts are POSTed to it as signed JSON."
          inputMode="url"
          maxLength={2000}
        />
      </details>
    </>
  );
}
