import { type FormEvent, useId, useState } from 'react';
import { LEVEL_COLORS, LEVEL_LABELS, LEVELS, type Level } from '../../../src/domain/advisories/levels.ts';
import { announceChange } from '../app/changes.ts';
import { usePeople } from '../app/people.ts';
import { Link, navigate, setSearchParams, useSearchParams } from '../app/router.tsx';
import { can, useUser } from '../app/session.tsx';
import { useAction } from '../app/useAction.ts';
import { useResource } from '../app/useResource.ts';
import { useRegions } from '../geo/reference.ts';
import { fetchTasks } from '../tasks/client.ts';
import { Indicators, LevelBadge, StatusBadge } from '../ui/Badges.tsx';
import { ErrorNotice } from '../ui/ErrorNotice.tsx';
import { TextAreaField, TextField } from '../ui/Field.tsx';
import { addDays, formatDate, formatDateTime, fromLocalInput, isPast, toLocalInput } from '../ui/format.ts';
import { Loaded, Page, Section } from '../ui/Page.tsx';
import {
  type AdvisoryDetail,
  confirmReview,
  createEdition,
  type DiffLine,
  type Edition,
  type EditionDiff,
  type EditionInput,
  type EditionSummary,
  fetchAdvisory,
  fetchDiff,
  type SetChange,
} from './client.ts';
import { EditionView } from './EditionView.tsx';

const countryOf = (key: string) => key.split('#')[0] ?? key;
const loadAdvisory = (key: string, signal: AbortSignal) => fetchAdvisory(countryOf(key), signal);
const loadTasks = (key: string, signal: AbortSignal) =>
  fetchTasks({ status: 'open', country: countryOf(key) }, signal);
const loadDiff = (key: string, signal: AbortSignal) => {
  const [from = '', to = ''] = key.split('..');
  return fetchDiff(from, to, signal);
};

function editionLabel(e: EditionSummary): string {
  if (e.status === 'draft') return `Draft of ${formatDate(e.updatedAt)}`;
  return `Edition ${e.number ?? '?'} · ${formatDate(e.publishedAt)}`;
}

// ---- diff -------------------------------------------------------------------------------------

function Lines({ lines, label }: { lines: DiffLine[]; label: string }) {
  // Each entry may span several lines; every shown line gets its own sign.
  const rows = lines.flatMap((line) =>
    line.text
      .replace(/\n$/, '')
      .split('\n')
      .map((text) => ({ kind: line.kind, text })),
  );
  return (
    <pre className="code-block diff-lines" title={label}>
      {rows.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity beyond their position.
        <span key={i} className={`diff-line diff-${line.kind}`}>
          <span className="diff-sign" aria-hidden="true">
            {line.kind === 'added' ? '+' : line.kind === 'removed' ? '−' : ' '}
          </span>
          <span className="visually-hidden">{line.kind === 'unchanged' ? '' : `${line.kind}: `}</span>
          {line.text}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}

function SetLine({ label, change }: { label: string; change: SetChange }) {
  if (change.added.length === 0 && change.removed.length === 0) return null;
  return (
    <li>
      {label}:{' '}
      {change.added.length > 0 ? (
        <span className="diff-added-inline">+ {change.added.join(', ')}</span>
      ) : null}{' '}
      {change.removed.length > 0 ? (
        <span className="diff-removed-inline">− {change.removed.join(', ')}</span>
      ) : null}
    </li>
  );
}

function DiffView({ diff }: { diff: EditionDiff }) {
  const nothing = diff.changed.length === 0;
  return (
    <div className="diff" data-testid="edition-diff">
      {nothing ? <p className="muted">The two editions say the same thing.</p> : null}
      <ul className="diff-summary">
        {diff.level ? (
          <li>
            Level: <LevelBadge level={diff.level.from} /> <span aria-hidden="true">→</span>
            <span className="visually-hidden">to</span> <LevelBadge level={diff.level.to} />
          </li>
        ) : null}
        <SetLine label="Indicators" change={diff.indicators} />
        {diff.zones.added.length > 0 ? <li>Zones added: {diff.zones.added.join(', ')}</li> : null}
        {diff.zones.removed.length > 0 ? <li>Zones removed: {diff.zones.removed.join(', ')}</li> : null}
        {diff.zones.changed.map((z) => (
          <li key={z.name}>
            Zone “{z.name}” changed ({z.fields.join(', ')})
            <ul>
              {z.level ? (
                <li>
                  Level {z.level.from} → {z.level.to}
                </li>
              ) : null}
              <SetLine label="Indicators" change={z.indicators} />
              <SetLine label="Regions" change={z.regions} />
            </ul>
            {z.text ? <Lines lines={z.text} label={`Zone ${z.name} text changes`} /> : null}
          </li>
        ))}
      </ul>
      {diff.summary ? (
        <>
          <h3 className="subheading">Summary</h3>
          <Lines lines={diff.summary} label="Summary changes" />
        </>
      ) : null}
      {diff.body ? (
        <>
          <h3 className="subheading">Body</h3>
          <Lines lines={diff.body} label="Body changes, line by line" />
        </>
      ) : null}
    </div>
  );
}

function History({ detail }: { detail: AdvisoryDetail }) {
  const params = useSearchParams();
  const editions: EditionSummary[] = [
    ...detail.drafts,
    ...[...detail.history].sort((a, b) => (b.number ?? 0) - (a.number ?? 0)),
  ];
  const from = params.get('from');
  const to = params.get('to');
  const [diff] = useResource(from && to && from !== to ? `${from}..${to}` : null, loadDiff);

  if (editions.length === 0) return <p className="muted">No editions yet.</p>;
  return (
    <>
      <div className="table-wrap">
        <table className="table" data-testid="edition-history">
          <thead>
            <tr>
              <th scope="col">Edition</th>
              <th scope="col">Status</th>
              <th scope="col">Level</th>
              <th scope="col">Change note</th>
              <th scope="col" className="col-narrow">
                <span className="visually-hidden">Compare </span>From
              </th>
              <th scope="col" className="col-narrow">
                <span className="visually-hidden">Compare </span>To
              </th>
            </tr>
          </thead>
          <tbody>
            {editions.map((e) => (
              <tr key={e.id} data-testid={`edition-row-${e.id}`}>
                <td>
                  {e.status === 'draft' ? (
                    <Link to={`/advisories/${detail.country}/editions/${e.id}`}>{editionLabel(e)}</Link>
                  ) : (
                    editionLabel(e)
                  )}
                </td>
                <td>
                  <StatusBadge
                    status={e.status}
                    tone={e.status === 'published' ? 'good' : e.status === 'draft' ? 'info' : undefined}
                  />
                </td>
                <td>
                  <LevelBadge level={e.level} />
                </td>
                <td>
                  {e.minor ? <span className="badge">Minor</span> : null} {e.changeNote ?? ''}
                </td>
                <td className="col-narrow">
                  <input
                    type="radio"
                    name="diff-from"
                    aria-label={`Compare from ${editionLabel(e)}`}
                    checked={from === e.id}
                    onChange={() => setSearchParams({ from: e.id })}
                    data-testid={`diff-from-${e.id}`}
                  />
                </td>
                <td className="col-narrow">
                  <input
                    type="radio"
                    name="diff-to"
                    aria-label={`Compare to ${editionLabel(e)}`}
                    checked={to === e.id}
                    onChange={() => setSearchParams({ to: e.id })}
                    data-testid={`diff-to-${e.id}`}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editions.length > 1 && !(from && to) ? (
        <p className="muted small">Choose a “From” and a “To” edition to see what changed.</p>
      ) : null}
      {from && to && from === to ? <p className="muted small">Choose two different editions.</p> : null}
      {diff.status !== 'idle' ? (
        <Loaded resource={diff} what="the differences">
          {(d) => (
            <>
              <h3 className="subheading">
                {editionLabel(d.from)} → {editionLabel(d.to)}
              </h3>
              <DiffView diff={d.diff} />
            </>
          )}
        </Loaded>
      ) : null}
    </>
  );
}

// ---- forms ------------------------------------------------------------------------------------

function copyOf(e: Edition): Omit<EditionInput, 'changeNote' | 'minor'> {
  return {
    level: e.level,
    indicators: [...e.indicators],
    summary: e.summary,
    body: e.body,
    zones: e.zones.map(({ levelLabel: _label, ...z }) => z),
  };
}

function NewEditionForm({
  country,
  current,
  onCancel,
}: {
  country: string;
  current: Edition | null;
  onCancel: () => void;
}) {
  const id = useId();
  const [note, setNote] = useState('');
  const [minor, setMinor] = useState(false);
  const [level, setLevel] = useState<Level>(current?.level ?? 1);
  const [summary, setSummary] = useState(current?.summary ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const action = useAction(createEdition);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    if (!current && !summary.trim()) return setProblem('Write a one-line summary to start with.');
    if (!minor && !note.trim()) return setProblem('Say what will change, or mark it a minor update.');
    const base = current
      ? copyOf(current)
      : { level, summary: summary.trim(), indicators: [], body: '', zones: [] };
    const edition = await action.run(country, { ...base, changeNote: note.trim() || null, minor });
    if (edition) {
      announceChange();
      navigate(`/advisories/${country}/editions/${edition.id}`);
    }
  };

  return (
    <Section title={current ? 'Start a new edition' : 'Write the first advisory'} testId="new-edition-form">
      <form className="form" onSubmit={submit} noValidate>
        {current ? (
          <p className="muted small">
            The draft starts as a copy of edition {current.number}; nothing changes for travellers until you
            publish.
          </p>
        ) : (
          <>
            <fieldset className="fieldset fieldset-plain">
              <legend>Level</legend>
              <div className="level-picker">
                {LEVELS.map((l) => (
                  <label key={l} className="choice level-choice" style={{ borderLeftColor: LEVEL_COLORS[l] }}>
                    <input
                      type="radio"
                      name={`${id}-level`}
                      checked={level === l}
                      onChange={() => setLevel(l)}
                    />
                    <span className="choice-text">
                      <span className="choice-title">Level {l}</span>
                      <span className="choice-help">{LEVEL_LABELS[l]}</span>
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>
            <TextAreaField
              id={`${id}-summary`}
              label="Summary"
              rows={2}
              value={summary}
              onChange={setSummary}
            />
          </>
        )}
        <TextAreaField
          id={`${id}-note`}
          label="Change note: what will change and why"
          rows={2}
          value={note}
          disabled={minor}
          onChange={setNote}
          data-testid="new-edition-note"
        />
        <label className="checkbox">
          <input type="checkbox" checked={minor} onChange={(e) => setMinor(e.target.checked)} />
          Minor update (typo, link): notifies nobody
        </label>
        {problem ? (
          <div className="form-error" role="alert">
            <p>{problem}</p>
          </div>
        ) : null}
        <ErrorNotice error={action.error} title="Draft not started" />
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={action.busy}
            data-testid="new-edition-submit"
          >
            Start draft
          </button>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </Section>
  );
}

function ReviewForm({
  country,
  onDone,
  onCancel,
}: {
  country: string;
  onDone: (msg: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [note, setNote] = useState('');
  const [next, setNext] = useState('');
  const action = useAction(confirmReview);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!note.trim()) return;
    const input: { note: string; nextReviewDue?: string } = { note: note.trim() };
    const due = next ? fromLocalInput(next) : null;
    if (due) input.nextReviewDue = due;
    const result = await action.run(country, input);
    if (result) {
      announceChange();
      const tasks = result.resolvedTasks ? ` ${result.resolvedTasks} review task(s) resolved.` : '';
      onDone(`Review recorded. Next review ${formatDate(result.advisory.nextReviewDue)}.${tasks}`);
    }
  };
  return (
    <Section title="Confirm the advisory still stands" testId="review-form">
      <form className="form" onSubmit={submit} noValidate>
        <TextAreaField
          id={`${id}-note`}
          label="What the review found"
          rows={2}
          value={note}
          onChange={setNote}
          placeholder="e.g. Reviewed after the Basrah posture change; Level 4 remains appropriate."
          data-testid="review-note"
        />
        <TextField
          id={`${id}-next`}
          label="Next review (optional; default from policy)"
          fieldClass="field-narrow"
          type="datetime-local"
          value={next}
          min={toLocalInput(addDays(new Date(), 1))}
          onChange={setNext}
        />
        <ErrorNotice error={action.error} title="Review not recorded" />
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={action.busy || !note.trim()}
            data-testid="review-submit"
          >
            Confirm review
          </button>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </Section>
  );
}

// ---- page -------------------------------------------------------------------------------------

export default function AdvisoryPage({ country }: { country: string }) {
  const user = useUser();
  const person = usePeople(user);
  const [version, setVersion] = useState(0);
  const [detail, retry] = useResource(`${country}#${version}`, loadAdvisory);
  const [tasks] = useResource(`${country}#${version}`, loadTasks);
  const { names: regionNames } = useRegions(country);
  const [flash, setFlash] = useState<string | null>(null);
  const [panel, setPanel] = useState<'new' | 'review' | null>(null);
  const params = useSearchParams();
  const published = params.get('published');
  const loaded = detail.status === 'loaded' ? detail.data : null;
  const name = loaded?.countryName ?? country;
  const writable = can.editAdvisory(user, country);
  const current = loaded?.current ?? null;
  const late = current ? current.overdue || isPast(current.nextReviewDue) : false;

  return (
    <Page
      title={`${name} advisory`}
      testId="advisory-page"
      eyebrow={<Link to="/advisories">← Advisories</Link>}
      meta={
        loaded ? (
          <div className="meta-row">
            <LevelBadge level={current?.edition.level} long testId="advisory-level" />
            {current ? (
              <span className={late ? 'text-overdue' : 'muted'} data-testid="advisory-review-state">
                {late ? 'Review overdue since ' : 'Next review '}
                {formatDate(current.nextReviewDue)}
              </span>
            ) : null}
          </div>
        ) : null
      }
      actions={
        writable && loaded ? (
          <>
            {loaded.drafts[0] ? (
              <Link
                to={`/advisories/${country}/editions/${loaded.drafts[0].id}`}
                className="button button-primary"
                data-testid="open-draft"
              >
                Continue draft
              </Link>
            ) : (
              <button
                type="button"
                className="button button-primary"
                onClick={() => setPanel('new')}
                data-testid="new-draft"
              >
                {current ? 'New edition' : 'Write advisory'}
              </button>
            )}
            {current ? (
              <button
                type="button"
                className="button"
                onClick={() => setPanel('review')}
                data-testid="confirm-review"
              >
                Confirm review
              </button>
            ) : null}
          </>
        ) : null
      }
      wide
    >
      {published && current ? (
        <div className="notice notice-good" role="status" data-testid="published-notice">
          <p>
            <strong>Published.</strong> Travellers now see {name} at Level {current.edition.level}:{' '}
            {LEVEL_LABELS[current.edition.level]}.
          </p>
          <button
            type="button"
            className="button button-small"
            onClick={() => setSearchParams({ published: null })}
          >
            Dismiss
          </button>
        </div>
      ) : null}
      {flash ? (
        <div className="notice notice-good" role="status" data-testid="advisory-flash">
          <p>{flash}</p>
        </div>
      ) : null}
      {tasks.status === 'loaded' && tasks.data.length > 0 ? (
        <div className="notice notice-warn" data-testid="advisory-open-tasks">
          <p>
            <strong>Open tasks for {name}:</strong>
          </p>
          <ul className="plain-list">
            {tasks.data.map((t) => (
              <li key={t.id}>
                {t.title} <span className="muted small">({formatDateTime(t.createdAt)})</span>
              </li>
            ))}
          </ul>
          <p className="small">
            Publishing a new edition or confirming the review resolves them.{' '}
            <Link to="/tasks">All tasks</Link>
          </p>
        </div>
      ) : null}
      {panel === 'new' && loaded ? (
        <NewEditionForm
          country={country}
          current={current?.edition ?? null}
          onCancel={() => setPanel(null)}
        />
      ) : null}
      {panel === 'review' ? (
        <ReviewForm
          country={country}
          onCancel={() => setPanel(null)}
          onDone={(msg) => {
            setPanel(null);
            setFlash(msg);
            setVersion((v) => v + 1);
          }}
        />
      ) : null}
      <Loaded resource={detail} onRetry={retry} what="the advisory">
        {(d) => (
          <>
            <div className="columns">
              <div className="column-main">
                <Section title="Current advisory" testId="current-edition">
                  {d.current ? (
                    <EditionView edition={d.current.edition} regionNames={regionNames} />
                  ) : (
                    <p className="muted">No advisory has been published for {d.countryName}.</p>
                  )}
                </Section>
              </div>
              <div className="column-side">
                {d.current ? (
                  <Section title="Edition">
                    <dl className="facts facts-compact">
                      <dt>Edition</dt>
                      <dd>{d.current.edition.number}</dd>
                      <dt>Published</dt>
                      <dd>{formatDateTime(d.current.edition.publishedAt)}</dd>
                      <dt>By</dt>
                      <dd>{person(d.current.edition.publishedBy)}</dd>
                      <dt>Change note</dt>
                      <dd>
                        {d.current.edition.minor ? 'Minor update. ' : ''}
                        {d.current.edition.changeNote ?? ''}
                      </dd>
                      <dt>Last reviewed</dt>
                      <dd>{formatDateTime(d.current.reviewedAt)}</dd>
                      <dt>Next review</dt>
                      <dd className={late ? 'text-overdue' : undefined}>
                        {formatDateTime(d.current.nextReviewDue)}
                        {late ? ' (overdue)' : ''}
                      </dd>
                      <dt>Indicators</dt>
                      <dd>
                        <Indicators codes={d.current.edition.indicators} />
                      </dd>
                    </dl>
                  </Section>
                ) : null}
                {d.drafts.length > 0 ? (
                  <Section title="Drafts">
                    <ul className="plain-list">
                      {d.drafts.map((e) => (
                        <li key={e.id}>
                          <Link to={`/advisories/${country}/editions/${e.id}`}>Draft at Level {e.level}</Link>
                          <span className="muted small">
                            {' '}
                            · saved {formatDateTime(e.updatedAt)} by {person(e.updatedBy ?? e.createdBy)}
                          </span>
                        </li>
                      ))}
                    </ul>
                  </Section>
                ) : null}
                {d.reviews.length > 0 ? (
                  <Section title="Reviews">
                    <ul className="plain-list">
                      {d.reviews.slice(0, 5).map((r) => (
                        <li key={r.id}>
                          <p className="small">{r.note}</p>
                          <p className="muted small">
                            {formatDateTime(r.reviewedAt)} · {person(r.reviewedBy)}
                          </p>
                        </li>
                      ))}
                    </ul>
                  </Section>
                ) : null}
              </div>
            </div>
            <Section title="Editions and changes" testId="advisory-history">
              <History detail={d} />
            </Section>
          </>
        )}
      </Loaded>
    </Page>
  );
}
