import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import {
  INDICATOR_CODES,
  INDICATORS,
  LEVEL_COLORS,
  LEVEL_LABELS,
  LEVELS,
  type Level,
} from '../../../src/domain/advisories/levels.ts';
import { announceChange } from '../app/changes.ts';
import { Link, navigate } from '../app/router.tsx';
import { can, useUser } from '../app/session.tsx';
import { useAction } from '../app/useAction.ts';
import { useResource } from '../app/useResource.ts';
import { useCountryNames, useRegions } from '../geo/reference.ts';
import { LevelBadge, StatusBadge } from '../ui/Badges.tsx';
import { ErrorNotice, errorField } from '../ui/ErrorNotice.tsx';
import { Field, TextAreaField, TextField } from '../ui/Field.tsx';
import { formatDateTime, fromLocalInput, toLocalInput } from '../ui/format.ts';
import { Loaded, Page, Section } from '../ui/Page.tsx';
import {
  deleteEdition,
  type Edition,
  type EditionInput,
  fetchEdition,
  type PublishResult,
  publishEdition,
  updateEdition,
  type ZoneDraft,
} from './client.ts';
import { EditionView, MarkdownView } from './EditionView.tsx';
import { ZoneEditor } from './ZoneEditor.tsx';

const loadEdition = (key: string, signal: AbortSignal) => fetchEdition(key, signal);

interface Draft {
  level: Level;
  indicators: string[];
  summary: string;
  body: string;
  zones: ZoneDraft[];
  changeNote: string;
  minor: boolean;
  /** datetime-local value; '' for the default review period. */
  nextReviewDue: string;
}

function toDraft(e: Edition): Draft {
  return {
    level: e.level,
    indicators: [...e.indicators],
    summary: e.summary,
    body: e.body,
    zones: e.zones.map(({ levelLabel: _label, ...z }) => ({
      ...z,
      regions: [...z.regions],
      indicators: [...z.indicators],
      text: z.text ?? '',
    })),
    changeNote: e.changeNote ?? '',
    minor: e.minor,
    nextReviewDue: e.nextReviewDue ? toLocalInput(new Date(e.nextReviewDue)) : '',
  };
}

function toInput(d: Draft): EditionInput {
  return {
    level: d.level,
    indicators: d.indicators,
    summary: d.summary.trim(),
    body: d.body,
    zones: d.zones.map((z) => ({
      name: z.name.trim(),
      level: z.level,
      indicators: z.indicators,
      regions: z.regions,
      geometry: z.geometry ?? null,
      text: z.text,
    })),
    changeNote: d.changeNote.trim() || null,
    minor: d.minor,
    nextReviewDue: d.nextReviewDue ? fromLocalInput(d.nextReviewDue) : null,
  };
}

async function saveAndPublish(id: string, input: EditionInput): Promise<PublishResult> {
  await updateEdition(id, input);
  return publishEdition(id);
}

function Editor({ edition, onSaved }: { edition: Edition; onSaved: (e: Edition) => void }) {
  const id = useId();
  const names = useCountryNames();
  const { regions, names: regionNames } = useRegions(edition.country);
  const [draft, setDraft] = useState<Draft>(() => toDraft(edition));
  const [saved, setSaved] = useState<Draft>(() => toDraft(edition));
  const [problem, setProblem] = useState<string | null>(null);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const save = useAction(updateEdition);
  const publish = useAction(saveAndPublish);
  const remove = useAction(async (editionId: string) => {
    await deleteEdition(editionId);
    return true;
  });
  const [confirming, setConfirming] = useState<'publish' | 'delete' | null>(null);
  const busy = save.busy || publish.busy || remove.busy;
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);
  const field = errorField(save.error ?? publish.error);

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const toggleIndicator = (code: string, on: boolean) =>
    set('indicators', on ? [...draft.indicators, code] : draft.indicators.filter((c) => c !== code));

  const check = (): string | null => {
    if (draft.zones.some((z) => !z.name.trim())) return 'Give every regional zone a name.';
    if (draft.zones.some((z) => z.regions.length === 0 && !z.geometry))
      return 'Pick at least one region for every zone.';
    if (!draft.summary.trim()) return 'Write a summary.';
    if (!draft.minor && !draft.changeNote.trim()) {
      return 'Write a change note (what changed and why), or mark this a minor update that notifies nobody.';
    }
    return null;
  };

  const doSave = async (event?: FormEvent) => {
    event?.preventDefault();
    setProblem(null);
    const issue = check();
    if (issue) return setProblem(issue);
    const result = await save.run(edition.id, toInput(draft));
    if (result) {
      setSaved(draft);
      setSavedAt(new Date().toISOString());
      onSaved(result);
    }
  };

  const askPublish = () => {
    setProblem(null);
    const issue = check();
    if (issue) return setProblem(issue);
    setConfirming('publish');
  };

  const doPublish = async () => {
    const result = await publish.run(edition.id, toInput(draft));
    setConfirming(null);
    if (result) {
      announceChange();
      navigate(`/advisories/${edition.country}?published=${encodeURIComponent(result.edition.id)}`);
    }
  };

  const doDelete = async () => {
    const result = await remove.run(edition.id);
    setConfirming(null);
    if (result) {
      announceChange();
      navigate(`/advisories/${edition.country}`);
    }
  };

  const preview = useMemo(
    () => ({
      level: draft.level,
      indicators: draft.indicators,
      summary: draft.summary,
      body: draft.body,
      zones: draft.zones,
    }),
    [draft],
  );
  const zoneRegions = (skip: number) => new Set(draft.zones.flatMap((z, i) => (i === skip ? [] : z.regions)));

  return (
    <form className="form editor" onSubmit={doSave} noValidate data-testid="advisory-editor">
      <div className="editor-grid">
        <div className="editor-fields">
          <Section title="Level and indicators">
            <fieldset className="fieldset fieldset-plain">
              <legend>National level</legend>
              <div className="level-picker" role="radiogroup" aria-label="National level">
                {LEVELS.map((l) => (
                  <label
                    key={l}
                    className="choice level-choice"
                    style={{ borderLeftColor: LEVEL_COLORS[l] }}
                    data-testid={`level-option-${l}`}
                  >
                    <input
                      type="radio"
                      name={`${id}-level`}
                      value={l}
                      checked={draft.level === l}
                      onChange={() => set('level', l)}
                    />
                    <span className="choice-text">
                      <span className="choice-title">Level {l}</span>
                      <span className="choice-help">{LEVEL_LABELS[l]}</span>
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>
            <fieldset className="fieldset fieldset-plain">
              <legend>Risk indicators</legend>
              <div className="indicator-picker">
                {INDICATOR_CODES.map((code) => (
                  <label key={code} className="checkbox" data-testid={`indicator-${code}`}>
                    <input
                      type="checkbox"
                      checked={draft.indicators.includes(code)}
                      onChange={(e) => toggleIndicator(code, e.target.checked)}
                    />
                    <span className="indicator-code">{code}</span> {INDICATORS[code]}
                  </label>
                ))}
              </div>
            </fieldset>
          </Section>

          <Section title="Text">
            <TextAreaField
              id={`${id}-summary`}
              label="Summary"
              rows={3}
              value={draft.summary}
              onChange={(v) => set('summary', v)}
              invalid={field === 'summary' ? true : undefined}
              placeholder="One or two sentences: the level and the main reasons."
              data-testid="summary-input"
            />
            <Field
              id={`${id}-body`}
              label="Body (Markdown)"
              invalid={field === 'body'}
              hintBelow
              hint="**bold**, *italic*, # headings, - lists, [links](https://…). HTML is shown as text, never run."
            >
              {(control) => (
                <div className="markdown-editor">
                  <textarea
                    {...control}
                    rows={16}
                    value={draft.body}
                    onChange={(e) => set('body', e.target.value)}
                    className="mono"
                    spellCheck
                    data-testid="body-input"
                  />
                  <div className="markdown-preview" aria-live="polite">
                    <p className="preview-label">Preview</p>
                    <MarkdownView source={draft.body} testId="body-preview" />
                  </div>
                </div>
              )}
            </Field>
          </Section>

          <Section
            title={`Regional levels (${draft.zones.length})`}
            actions={
              <button
                type="button"
                className="button button-small"
                onClick={() =>
                  set('zones', [
                    ...draft.zones,
                    { name: '', regions: [], level: draft.level, indicators: [], text: '', geometry: null },
                  ])
                }
                data-testid="add-zone"
              >
                Add zone
              </button>
            }
          >
            {draft.zones.length === 0 ? (
              <p className="muted">
                No regional levels. Add a zone where part of the country differs from the national level.
              </p>
            ) : null}
            <div className="stack">
              {draft.zones.map((zone, i) => (
                <ZoneEditor
                  // biome-ignore lint/suspicious/noArrayIndexKey: zones are identified by their position.
                  key={i}
                  zone={zone}
                  index={i}
                  regions={regions}
                  takenElsewhere={zoneRegions(i)}
                  disabled={busy}
                  onChange={(z) =>
                    set(
                      'zones',
                      draft.zones.map((old, j) => (j === i ? z : old)),
                    )
                  }
                  onRemove={() =>
                    set(
                      'zones',
                      draft.zones.filter((_, j) => j !== i),
                    )
                  }
                />
              ))}
            </div>
          </Section>

          <Section title="Change note">
            <TextAreaField
              id={`${id}-note`}
              label="What changed and why"
              rows={2}
              value={draft.changeNote}
              onChange={(v) => set('changeNote', v)}
              invalid={field === 'changeNote' ? true : undefined}
              disabled={draft.minor}
              data-testid="change-note"
            />
            <label className="checkbox">
              <input
                type="checkbox"
                checked={draft.minor}
                onChange={(e) => set('minor', e.target.checked)}
                data-testid="minor-update"
              />
              Minor update (typo, formatting): notifies nobody
            </label>
            <TextField
              id={`${id}-next`}
              label="Next review due (optional)"
              fieldClass="field-narrow"
              hintBelow
              hint="Leave empty for the standard review period."
              type="datetime-local"
              value={draft.nextReviewDue}
              onChange={(v) => set('nextReviewDue', v)}
              invalid={field === 'nextReviewDue' ? true : undefined}
            />
          </Section>
        </div>

        <aside className="editor-preview" aria-label="What travellers will read">
          <div className="editor-preview-inner">
            <p className="preview-label">What travellers will read</p>
            <h2 className="preview-title">{names.get(edition.country) ?? edition.country}</h2>
            <EditionView edition={preview} regionNames={regionNames} />
          </div>
        </aside>
      </div>

      <div className="editor-bar" data-testid="editor-bar">
        <div className="editor-bar-status" role="status">
          {dirty ? (
            <span className="text-warn">Unsaved changes</span>
          ) : savedAt ? (
            <span>Saved {formatDateTime(savedAt)}</span>
          ) : (
            <span className="muted">No changes</span>
          )}
        </div>
        <div className="editor-bar-errors">
          {problem ? (
            <div className="form-error" role="alert" data-testid="editor-problem">
              <p>{problem}</p>
            </div>
          ) : null}
          <ErrorNotice error={save.error} title="Draft not saved" testId="save-error" />
          <ErrorNotice error={publish.error} title="Not published" testId="publish-error" />
          <ErrorNotice error={remove.error} title="Draft not deleted" testId="delete-error" />
        </div>
        {confirming === 'publish' ? (
          <div
            className="confirm"
            role="alertdialog"
            aria-labelledby={`${id}-confirm`}
            data-testid="publish-confirm"
          >
            <p id={`${id}-confirm`}>
              Publish the {names.get(edition.country) ?? edition.country} advisory at{' '}
              <strong>
                Level {draft.level}: {LEVEL_LABELS[draft.level]}
              </strong>
              ?{' '}
              {draft.minor ? 'This is a minor update: nobody is notified.' : 'Subscribers will be notified.'}
            </p>
            <div className="form-actions">
              <button
                type="button"
                className="button button-primary"
                onClick={doPublish}
                disabled={busy}
                data-testid="publish-confirm-button"
                // biome-ignore lint/a11y/noAutofocus: the confirmation is the one thing to act on.
                autoFocus
              >
                {publish.busy ? 'Publishing…' : 'Yes, publish'}
              </button>
              <button type="button" className="button" onClick={() => setConfirming(null)} disabled={busy}>
                Cancel
              </button>
            </div>
          </div>
        ) : confirming === 'delete' ? (
          <div className="confirm" role="alertdialog" aria-labelledby={`${id}-confirm`}>
            <p id={`${id}-confirm`}>Delete this draft? This cannot be undone.</p>
            <div className="form-actions">
              <button type="button" className="button button-danger" onClick={doDelete} disabled={busy}>
                Yes, delete
              </button>
              <button type="button" className="button" onClick={() => setConfirming(null)} disabled={busy}>
                Cancel
              </button>
            </div>
          </div>
        ) : (
          <div className="form-actions">
            <button
              type="button"
              className="button button-danger-quiet"
              onClick={() => setConfirming('delete')}
              disabled={busy}
            >
              Delete draft
            </button>
            <button type="submit" className="button" disabled={busy || !dirty} data-testid="save-draft">
              {save.busy ? 'Saving…' : 'Save draft'}
            </button>
            <button
              type="button"
              className="button button-primary"
              onClick={askPublish}
              disabled={busy}
              data-testid="publish"
            >
              Publish…
            </button>
          </div>
        )}
      </div>
    </form>
  );
}

export default function AdvisoryEditorPage({ country, id }: { country: string; id: string }) {
  const user = useUser();
  const [edition, retry] = useResource(id, loadEdition);
  const names = useCountryNames();
  const { names: regionNames } = useRegions(country);
  const name = names.get(country) ?? country;
  const [latest, setLatest] = useState<Edition | null>(null);

  const current = latest ?? (edition.status === 'loaded' ? edition.data : null);
  return (
    <Page
      title={`${name}: draft advisory`}
      docTitle={`Draft · ${name}`}
      testId="advisory-editor-page"
      eyebrow={<Link to={`/advisories/${country}`}>← {name} advisory</Link>}
      meta={
        current ? (
          <div className="meta-row">
            <StatusBadge status={current.status} tone={current.status === 'draft' ? 'info' : 'good'} />
            <LevelBadge level={current.level} />
            {current.updatedAt ? (
              <span className="muted">Last saved {formatDateTime(current.updatedAt)}</span>
            ) : null}
          </div>
        ) : null
      }
      wide
    >
      <Loaded resource={edition} onRetry={retry} what="the edition">
        {(e) =>
          e.status !== 'draft' ? (
            <Section title="This edition is not a draft">
              <p>
                It is {e.status}; published editions are never edited. Start a new edition from the{' '}
                <Link to={`/advisories/${country}`}>advisory page</Link>.
              </p>
              <EditionView edition={e} regionNames={regionNames} />
            </Section>
          ) : !can.editAdvisory(user, e.country || country) ? (
            <Section title="Read-only">
              <p className="muted">Your role cannot edit this advisory.</p>
              <EditionView edition={e} regionNames={regionNames} />
            </Section>
          ) : (
            <Editor edition={{ ...e, country: e.country || country }} onSaved={setLatest} />
          )
        }
      </Loaded>
    </Page>
  );
}
