import { describe, expect, it } from 'vitest';
import { html, join, trusted } from '../../src/site/html.ts';
import { locale, preferredLanguage } from '../../src/site/locale.ts';
import { postureSentence } from '../../src/site/pages/parts.ts';
import { slug } from '../../src/site/paths.ts';
import { sitemapXml } from '../../src/site/sitemap.ts';
import type { SitePost } from '../../src/site/views.ts';

describe('the site renderer', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const name = `<script>alert("x")</script> & 'y'`;
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</p>',
    );
    // Nested templates and trusted markup pass through; null, undefined and false render nothing.
    expect(
      html`<ul>${['a<', 'b'].map((x) => html`<li>${x}</li>`)}</ul>${null}${false}${undefined}${0}`.value,
    ).toBe('<ul><li>a&lt;</li><li>b</li></ul>0');
    expect(html`${trusted('<em>ok</em>')}`.value).toBe('<em>ok</em>');
    expect(join(['<a>', html`<b></b>`], ' & ').value).toBe('&lt;a&gt; &amp; <b></b>');
  });

  it('chooses the language from Accept-Language by q-value, English when none is ours', () => {
    expect(preferredLanguage('de-DE,fr;q=0.8,ar;q=0.9')).toBe('ar');
    expect(preferredLanguage('fr-CA')).toBe('fr');
    expect(preferredLanguage('ar;q=0, fr;q=0.1')).toBe('fr');
    expect(preferredLanguage('de, ja')).toBe('en');
    expect(preferredLanguage(undefined)).toBe('en');
    expect(locale('ar').dir).toBe('rtl');
    expect(locale('fr').dir).toBe('ltr');
  });

  it("says a post's posture and who serves its district in plain words, per language", () => {
    const post: SitePost = {
      id: 'p',
      kind: 'consulate_general',
      name: 'Consulate General Basrah',
      city: 'Basrah',
      country: 'IQ',
      location: { lat: 30.5, lon: 47.8 },
      contact: { phone: null, email: null, address: null, hours: null },
      state: 'ordered_departure',
      departure: { staff: 'ordered', family: 'ordered' },
      services: { citizenServices: false, visas: false, walkIn: false },
      since: '2018-09-28T00:00:00Z',
      statement: null,
      districtRegions: [{ code: 'IQ-BA', name: 'Basra' }],
      servedBy: { id: 'b', name: 'Embassy Baghdad' },
      serving: true,
    };
    expect(postureSentence(locale('en'), post)).toBe(
      'Consulate General Basrah is on ordered departure: non-emergency staff and family members must leave; citizen services for Basra are provided by Embassy Baghdad.',
    );
    expect(postureSentence(locale('fr'), post)).toContain('sont assurés par Embassy Baghdad');
    expect(postureSentence(locale('en'), { ...post, state: 'normal', servedBy: null })).toBeNull();
    expect(postureSentence(locale('en'), { ...post, servedBy: null, serving: false })).toContain(
      'no other post provides its citizen services',
    );
  });

  it('makes slugs and a sitemap with every language version', () => {
    expect(slug("Côte d'Ivoire")).toBe('cote-d-ivoire');
    const xml = sitemapXml('https://x.example', [
      { path: '/countries/iq-iraq', lastmod: '2018-09-28T10:00:00Z' },
    ]);
    expect(xml.match(/<url>/g)).toHaveLength(3);
    expect(xml).toContain('<loc>https://x.example/ar/countries/iq-iraq</loc><lastmod>2018-09-28</lastmod>');
  });
});
