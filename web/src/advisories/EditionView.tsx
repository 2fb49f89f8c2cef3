import { useMemo } from 'react';
import { Indicators, LevelBadge } from '../ui/Badges.tsx';
import { renderMarkdown } from '../ui/markdown.ts';
import type { Edition, ZoneDraft } from './client.ts';

/** Rendered, sanitised Markdown (see markdown.ts: raw HTML is shown as text, never executed). */
export function MarkdownView({ source, testId }: { source: string; testId?: string }) {
  const html = useMemo(() => renderMarkdown(source), [source]);
  if (!source.trim()) return <p className="muted">Nothing written yet.</p>;
  // biome-ignore lint/security/noDangerouslySetInnerHtml: renderMarkdown escapes raw HTML and filters link schemes.
  return <div className="markdown" data-testid={testId} dangerouslySetInnerHTML={{ __html: html }} />;
}

export function ZoneList({ zones, regionNames }: { zones: ZoneDraft[]; regionNames: Map<string, string> }) {
  if (zones.length === 0) return null;
  return (
    <ul className="zone-list" data-testid="zone-list">
      {zones.map((zone, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: zones are identified by their position in the edition.
        <li key={i} className="zone-item">
          <div className="zone-head">
            <LevelBadge level={zone.level} />
            <strong>{zone.name || 'Unnamed zone'}</strong>
            {zone.indicators?.length ? <Indicators codes={zone.indicators} /> : null}
          </div>
          {zone.regions?.length ? (
            <p className="small muted">{zone.regions.map((r) => regionNames.get(r) ?? r).join(', ')}</p>
          ) : null}
          {zone.geometry ? <p className="small muted">Includes a drawn area.</p> : null}
          {zone.text ? <MarkdownView source={zone.text} /> : null}
        </li>
      ))}
    </ul>
  );
}

/** A published edition or a draft being written (whose zones have no labels yet). */
type Readable = Pick<Edition, 'level' | 'indicators' | 'summary' | 'body'> & { zones: ZoneDraft[] };

/** What a traveller reads: level, indicators, summary, body and regional zones. */
export function EditionView({
  edition,
  regionNames,
}: {
  edition: Readable;
  regionNames: Map<string, string>;
}) {
  return (
    <div className="edition-view" data-testid="edition-view">
      <div className="edition-level">
        <LevelBadge level={edition.level} long testId="edition-level" />
      </div>
      <div className="edition-indicators">
        <Indicators codes={edition.indicators} long />
      </div>
      {edition.summary ? <p className="edition-summary prewrap">{edition.summary}</p> : null}
      <MarkdownView source={edition.body} testId="edition-body" />
      {edition.zones.length > 0 ? (
        <>
          <h3 className="subheading">Regional levels</h3>
          <ZoneList zones={edition.zones} regionNames={regionNames} />
        </>
      ) : null}
    </div>
  );
}
