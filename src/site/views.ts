import type { EditionDiff } from '../domain/advisories/diff.ts';
import type { Edition } from '../domain/advisories/edition.ts';
import type { CurrentAdvisory } from '../domain/advisories/review.ts';
import type {
  AlertKind,
  AlertReference,
  AlertState,
  AlertStatus,
  AlertTexts,
  MsgType,
} from '../domain/alerts/types.ts';
import type { Departure, Post, PostureState, Services } from '../domain/posts/types.ts';

/*
 * What the public pages are rendered from: domain objects plus names, already resolved by
 * services/site. Nothing here is staff-only (no staff names, no internal reasons, no drafts).
 */

export interface Named {
  readonly code: string;
  readonly name: string;
}

export interface SitePost
  extends Pick<Post, 'id' | 'kind' | 'name' | 'city' | 'country' | 'location' | 'contact'> {
  readonly state: PostureState;
  readonly departure: Departure;
  readonly services: Services;
  /** When the current posture took effect. */
  readonly since: string | null;
  readonly statement: string | null;
  readonly districtRegions: readonly Named[];
  /** The post at the end of this post's delegation chain, when it is another post. */
  readonly servedBy: { readonly id: string; readonly name: string } | null;
  /** false when neither this post nor any delegate serves its district's citizens now. */
  readonly serving: boolean;
}

export interface CountryAdvisoryView {
  readonly current: CurrentAdvisory;
  /** Published editions, current first. */
  readonly history: readonly Edition[];
  readonly previous: Edition | null;
  readonly diff: EditionDiff | null;
}

/** A public alert as the site shows it (from the alerts service; see services/site/alerts.ts). */
export interface PublicAlertView {
  readonly id: string;
  readonly kind: AlertKind;
  readonly status: AlertStatus;
  readonly msgType: MsgType;
  /** sent, updated (a newer message replaces it) or cancelled. */
  readonly state: AlertState;
  /** The Update or Cancel that replaced it. */
  readonly supersededBy: string | null;
  readonly countries: readonly string[];
  readonly texts: AlertTexts;
  readonly sentAt: string;
  readonly effective: string;
  readonly expires: string;
  readonly postName: string | null;
  readonly references: readonly AlertReference[];
}

export interface CountryPageData {
  readonly country: Named;
  readonly advisory: CountryAdvisoryView | null;
  readonly posts: readonly SitePost[];
  readonly alerts: readonly PublicAlertView[];
  /** Region code -> name, for zones. */
  readonly regionName: (code: string) => string;
}

export interface LevelItem {
  readonly code: string;
  readonly name: string;
  readonly level: 1 | 2 | 3 | 4;
  readonly zones: number;
}

export type Change =
  | { readonly kind: 'edition'; readonly at: string; readonly country: Named; readonly edition: Edition }
  | {
      readonly kind: 'posture';
      readonly at: string;
      readonly country: Named;
      readonly post: SitePost;
      readonly state: PostureState;
    }
  | { readonly kind: 'alert'; readonly at: string; readonly alert: PublicAlertView };

export interface HomeData {
  readonly levels: readonly LevelItem[];
  readonly changes: readonly Change[];
}

export interface PlaceHit {
  readonly name: string;
  readonly region: string | null;
  readonly country: Named;
  readonly lat: number;
  readonly lon: number;
}

export interface SearchData {
  readonly q: string;
  readonly countries: readonly Named[];
  readonly places: readonly PlaceHit[];
  /** A country the query names exactly (its ISO code or full name): the search goes straight there. */
  readonly exact: Named | null;
}

export interface WhoServesAnswer {
  readonly lat: number;
  readonly lon: number;
  readonly country: Named | null;
  readonly region: Named | null;
  readonly match: 'polygon' | 'region' | 'country' | null;
  /** The post whose district holds the point (may differ from the serving one). */
  readonly districtPost: { readonly id: string; readonly name: string } | null;
  readonly post: SitePost | null;
  readonly serving: boolean;
}
