import { type FormEvent, useId, useState } from 'react';
import { POSTURE_LABELS } from '../../../src/domain/posts/labels.ts';
import { departureFits, needsApproval, transitionRefusal } from '../../../src/domain/posts/posture.ts';
import { type DepartureScope, POSTURE_STATES, type PostureState } from '../../../src/domain/posts/types.ts';
import { announceChange } from '../app/changes.ts';
import { useAction } from '../app/useAction.ts';
import { ErrorNotice, errorField } from '../ui/ErrorNotice.tsx';
import { Field, SelectField, TextAreaField, TextField } from '../ui/Field.tsx';
import { addDays, fromLocalInput, toDateInput, toLocalInput } from '../ui/format.ts';
import type { Post } from './client.ts';
import { DEPARTURE_LABELS, departureOptions, POSTURE_HELP, SERVICE_LABELS, SERVICES } from './labels.ts';
import {
  changePosture,
  editPostureRequest,
  type PostureInput,
  type PostureRequest,
  type PostureResult,
  stateOf,
} from './postureClient.ts';

interface Props {
  post: Post;
  /** Other posts, for the coverage delegate. */
  posts: Post[];
  /** Edit this pending request instead of making a new change (PATCH; the content hash changes). */
  request?: PostureRequest;
  onDone: (result: PostureResult) => void;
  onCancel: () => void;
}

const ALL_SERVICES = { citizenServices: true, visas: true, walkIn: true };
const NO_SERVICES = { citizenServices: false, visas: false, walkIn: false };

/** Services a posture starts with in the form: all when normal, none when suspended, else as now. */
function defaultServices(
  state: PostureState,
  now: PostureInput['services'] | undefined,
): PostureInput['services'] {
  if (state === 'normal') return ALL_SERVICES;
  if (state === 'suspended') return NO_SERVICES;
  return now ?? ALL_SERVICES;
}

/** Either a new change, or an edit of a pending request reported the same way. */
async function send(postId: string, input: PostureInput, requestId: string | null): Promise<PostureResult> {
  if (!requestId) return changePosture(postId, input);
  return { change: null, request: await editPostureRequest(requestId, input), tasks: [] };
}

const DEFAULT_DEPARTURE: Record<PostureState, DepartureScope> = {
  normal: 'none',
  authorized_departure: 'authorized',
  ordered_departure: 'ordered',
  suspended: 'ordered',
};

export function PostureForm({ post, posts, request, onDone, onCancel }: Props) {
  const from = request ? request.content.fromState : stateOf(post);
  const current = post.posture;
  const given = request?.content;
  const firstChoice = given?.state ?? POSTURE_STATES.find((p) => !transitionRefusal(from, p)) ?? 'normal';
  const [state, setState] = useState<PostureState>(firstChoice);
  const [staff, setStaff] = useState<DepartureScope>(
    given?.departure.staff ?? DEFAULT_DEPARTURE[firstChoice],
  );
  const [family, setFamily] = useState<DepartureScope>(
    given?.departure.family ?? DEFAULT_DEPARTURE[firstChoice],
  );
  const [services, setServices] = useState(
    () => given?.services ?? defaultServices(firstChoice, current?.services),
  );
  const [backdate, setBackdate] = useState(!!given?.effectiveAt);
  const [effectiveAt, setEffectiveAt] = useState(() =>
    toLocalInput(given?.effectiveAt ? new Date(given.effectiveAt) : new Date()),
  );
  const [reason, setReason] = useState(given?.reason ?? '');
  const [reviewBy, setReviewBy] = useState(() => given?.reviewBy ?? toDateInput(addDays(new Date(), 14)));
  const [statementText, setStatementText] = useState(given?.statement?.text ?? '');
  const [statementBy, setStatementBy] = useState(given?.statement?.by ?? '');
  // A request without coverageDelegateId leaves the delegate as it is.
  const baseCoverage =
    given && Object.hasOwn(given, 'coverageDelegateId')
      ? (given.coverageDelegateId ?? '')
      : (post.coverageDelegateId ?? '');
  const [coverage, setCoverage] = useState(baseCoverage);
  const [problem, setProblem] = useState<string | null>(null);
  const action = useAction(send);
  const id = useId();

  const twoPerson = needsApproval(from, state);
  const delegates = posts.filter((p) => p.id !== post.id).sort((a, b) => a.name.localeCompare(b.name));
  const sameCountry = delegates.filter((p) => p.country === post.country);
  const elsewhere = delegates.filter((p) => p.country !== post.country);
  const field = errorField(action.error);
  const options = departureOptions(state);

  const pickState = (next: PostureState) => {
    setState(next);
    // Departure scope follows the posture; the officer can still adjust it where the rules allow.
    setStaff(DEFAULT_DEPARTURE[next]);
    setFamily(DEFAULT_DEPARTURE[next]);
    setServices(defaultServices(next, current?.services));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    const transition = transitionRefusal(from, state);
    if (transition) return setProblem(transition);
    if (!departureFits(state, { staff, family })) {
      return setProblem(`Staff and family departure do not fit “${POSTURE_LABELS[state]}”.`);
    }
    if (!reason.trim()) return setProblem('Give the reason for the change.');
    if (state !== 'normal' && !reviewBy)
      return setProblem('A departure or suspension needs a review-by date.');
    let effective: string | null = null;
    if (backdate) {
      effective = fromLocalInput(effectiveAt);
      if (!effective) return setProblem('Enter when the change took effect, or choose “Now”.');
      if (Date.parse(effective) > Date.now())
        return setProblem('A posture change cannot take effect in the future.');
    }
    if (statementText.trim() && !statementBy.trim())
      return setProblem('Say who issues the public statement.');
    const input: PostureInput = {
      state,
      departure: { staff, family },
      services,
      effectiveAt: effective,
      reason: reason.trim(),
      reviewBy: reviewBy || null,
      statement: statementText.trim() ? { text: statementText.trim(), by: statementBy.trim() } : null,
    };
    // Only send the delegate when it changes: absent means "leave it as it is".
    if (coverage !== baseCoverage) input.coverageDelegateId = coverage || null;
    const result = await action.run(post.id, input, request?.id ?? null);
    if (result) {
      announceChange();
      onDone(result);
    }
  };

  const invalid = (name: string) => (field === name || field?.startsWith(`${name}.`) ? true : undefined);

  return (
    <form className="form posture-form" onSubmit={submit} noValidate data-testid="posture-form">
      <fieldset className="fieldset">
        <legend>New posture</legend>
        <div className="choice-grid">
          {POSTURE_STATES.map((p) => {
            const blocked = transitionRefusal(from, p);
            return (
              <label
                key={p}
                className={`choice posture-choice posture-${p}${blocked ? ' choice-disabled' : ''}`}
                data-testid={`posture-option-${p}`}
              >
                <input
                  type="radio"
                  name={`${id}-posture`}
                  value={p}
                  checked={state === p}
                  disabled={!!blocked}
                  onChange={() => pickState(p)}
                />
                <span className="choice-text">
                  <span className="choice-title">
                    {POSTURE_LABELS[p]}
                    {p === from ? <span className="muted"> (current)</span> : null}
                  </span>
                  <span className="choice-help">{blocked && p !== from ? blocked : POSTURE_HELP[p]}</span>
                </span>
              </label>
            );
          })}
        </div>
      </fieldset>

      {request ? (
        <p className="notice notice-info" data-testid="edit-request-notice">
          <strong>Editing the request.</strong> Its content hash changes, so approvals of the old content are
          refused, and as an author you can no longer approve it yourself.
        </p>
      ) : twoPerson ? (
        <p className="notice notice-warn" data-testid="two-person-notice">
          <strong>Second approval needed.</strong> This change is sent as a request. It takes effect only when
          another authorised person approves it; you cannot approve your own request.
        </p>
      ) : null}

      <div className="form-row">
        <SelectField
          id={`${id}-staff`}
          label="Staff departure"
          value={staff}
          onChange={(v) => setStaff(v as DepartureScope)}
          invalid={invalid('departure')}
          disabled={options.length === 1}
          data-testid="staff-departure"
        >
          {options.map((d) => (
            <option key={d} value={d}>
              {DEPARTURE_LABELS[d]}
            </option>
          ))}
        </SelectField>
        <SelectField
          id={`${id}-family`}
          label="Family members departure"
          value={family}
          onChange={(v) => setFamily(v as DepartureScope)}
          invalid={invalid('departure')}
          disabled={options.length === 1}
          data-testid="family-departure"
        >
          {options.map((d) => (
            <option key={d} value={d}>
              {DEPARTURE_LABELS[d]}
            </option>
          ))}
        </SelectField>
      </div>
      {!departureFits(state, { staff, family }) ? (
        <p className="field-hint text-warn">
          {state === 'ordered_departure'
            ? 'Ordered departure needs staff or family (or both) ordered to leave.'
            : 'Authorized departure needs staff or family (or both) authorized to leave.'}
        </p>
      ) : null}

      <fieldset className="fieldset">
        <legend>Services that remain</legend>
        <div className="checkbox-row">
          {SERVICES.map((s) => (
            <label key={s} className="checkbox">
              <input
                type="checkbox"
                checked={services[s]}
                onChange={(e) => setServices({ ...services, [s]: e.target.checked })}
                data-testid={`service-${s}`}
              />
              {SERVICE_LABELS[s]}
            </label>
          ))}
        </div>
      </fieldset>

      <div className="form-row">
        <fieldset className="fieldset fieldset-plain">
          <legend>Takes effect</legend>
          <div className="checkbox-row">
            <label className="checkbox">
              <input
                type="radio"
                name={`${id}-when`}
                checked={!backdate}
                onChange={() => setBackdate(false)}
              />
              {twoPerson ? 'When approved' : 'Now'}
            </label>
            <label className="checkbox">
              <input type="radio" name={`${id}-when`} checked={backdate} onChange={() => setBackdate(true)} />
              Earlier (record a past time)
            </label>
          </div>
          {backdate ? (
            <>
              <input
                type="datetime-local"
                aria-label="Took effect at"
                value={effectiveAt}
                max={toLocalInput(new Date())}
                onChange={(e) => setEffectiveAt(e.target.value)}
                aria-invalid={invalid('effectiveAt')}
                data-testid="effective-at"
              />
              <span className="field-hint">
                Your local time ({Intl.DateTimeFormat().resolvedOptions().timeZone}).
              </span>
            </>
          ) : null}
        </fieldset>
        <TextField
          id={`${id}-review`}
          label={<>Review by{state === 'normal' ? ' (optional)' : ''}</>}
          type="date"
          value={reviewBy}
          min={toDateInput(new Date())}
          onChange={setReviewBy}
          invalid={invalid('reviewBy')}
          data-testid="review-by"
        />
      </div>

      <TextAreaField
        id={`${id}-reason`}
        label="Reason (internal)"
        rows={3}
        value={reason}
        onChange={setReason}
        invalid={invalid('reason')}
        placeholder="e.g. Repeated indirect fire at the consulate; one attack within the past 24 hours."
        data-testid="posture-reason"
      />

      <Field
        id={`${id}-coverage`}
        label="Citizen services for this district covered by"
        invalid={invalid('coverageDelegateId')}
      >
        {(control) => (
          <>
            <select
              {...control}
              value={coverage}
              onChange={(e) => setCoverage(e.target.value)}
              data-testid="coverage-post"
            >
              <option value="">No delegate: this post serves its own district</option>
              {sameCountry.length > 0 ? (
                <optgroup label="Same country">
                  {sameCountry.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </optgroup>
              ) : null}
              {elsewhere.length > 0 ? (
                <optgroup label="Other countries">
                  {elsewhere.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name} ({p.country})
                    </option>
                  ))}
                </optgroup>
              ) : null}
            </select>
            {!services.citizenServices && !coverage ? (
              <span className="field-hint text-warn">
                Citizen services stop here: choose the post that serves this district meanwhile.
              </span>
            ) : (
              <span className="field-hint">
                The delegate serves the district only while this post is on ordered departure or suspended
                without citizen services.
              </span>
            )}
          </>
        )}
      </Field>

      <fieldset className="fieldset">
        <legend>Public statement (optional)</legend>
        <TextAreaField
          id={`${id}-statement`}
          label="Statement text"
          rows={3}
          value={statementText}
          onChange={setStatementText}
          invalid={invalid('statement')}
          data-testid="statement-text"
        />
        <TextField
          id={`${id}-statement-by`}
          label="Issued by"
          type="text"
          value={statementBy}
          onChange={setStatementBy}
          placeholder="e.g. Department spokesperson"
          data-testid="statement-by"
        />
      </fieldset>

      {problem ? (
        <div className="form-error" role="alert" data-testid="posture-problem">
          <p>{problem}</p>
        </div>
      ) : null}
      <ErrorNotice
        error={action.error}
        title={request ? 'Request not saved' : 'Posture not changed'}
        testId="posture-error"
      />

      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={action.busy}
          data-testid="posture-submit"
        >
          {action.busy
            ? 'Sending…'
            : request
              ? 'Save the request'
              : twoPerson
                ? 'Request approval'
                : 'Change posture'}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={action.busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
