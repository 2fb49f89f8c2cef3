import type { PostKind } from '../../domain/posts/types.ts';

/*
 * The words of the public site, per language (en, ar, fr — the message catalogues' languages).
 * Like domain/messages, each catalogue must have every entry (the type checker holds them to it),
 * so a page is never half translated. Levels, indicators, posture states and alert sections come
 * from the message catalogues themselves (domain/messages), not from here.
 */
export interface SiteWords {
  readonly siteName: string;
  readonly tagline: string;
  readonly skipToContent: string;
  readonly languageLabel: string;
  readonly nav: {
    readonly home: string;
    readonly whoServes: string;
    readonly enroll: string;
    readonly subscribe: string;
    readonly privacy: string;
    readonly staff: string;
  };
  readonly feedsLabel: string;
  readonly atom: string;
  readonly json: string;

  readonly homeTitle: string;
  readonly homeDescription: string;
  readonly searchLabel: string;
  readonly searchHint: string;
  readonly searchButton: string;
  readonly mapHeading: string;
  /** Above the list of countries by level: the map's content without the map. */
  readonly countriesByLevel: string;
  readonly latestHeading: string;
  readonly noChanges: string;
  readonly enrollCta: string;
  readonly enrollText: string;
  readonly subscribeCta: string;
  readonly subscribeText: string;
  changedEdition(country: string, edition: number): string;
  countriesAtLevel(count: number): string;

  searchTitle(q: string): string;
  readonly searchCountries: string;
  readonly searchPlaces: string;
  readonly searchNothing: string;
  placeIn(place: string, region: string | null, country: string): string;
  readonly whoServesThere: string;

  countryTitle(country: string): string;
  countryDescription(country: string, level: number, label: string): string;
  levelLine(level: number, label: string): string;
  readonly indicatorsHeading: string;
  readonly summaryHeading: string;
  readonly fullTextHeading: string;
  readonly zonesHeading: string;
  readonly zonesIntro: string;
  readonly regionsLabel: string;
  readonly drawnArea: string;
  readonly whatChangedHeading: string;
  editionLine(edition: number, date: string): string;
  readonly minorUpdate: string;
  readonly earlierEditions: string;
  readonly differencesFromPrevious: string;
  readonly levelChanged: string;
  readonly indicatorsAdded: string;
  readonly indicatorsRemoved: string;
  readonly noAdvisory: string;
  readonly staffTextNote: string;
  readonly postsHeading: string;
  readonly noPosts: string;
  readonly mapNote: string;
  subscribeFor(country: string): string;
  enrollFor(country: string): string;
  readonly reviewedOn: string;

  readonly kinds: Readonly<Record<PostKind, string>>;
  readonly contactHeading: string;
  readonly phone: string;
  readonly email: string;
  readonly address: string;
  readonly hours: string;
  readonly unknown: string;
  readonly servicesHeading: string;
  readonly services: { readonly citizenServices: string; readonly visas: string; readonly walkIn: string };
  readonly available: string;
  readonly notAvailable: string;
  readonly statementHeading: string;
  readonly sinceLabel: string;
  /** "citizen services for {district} are provided by {post}". */
  servedElsewhere(district: string, post: string): string;
  readonly notServingNoDelegate: string;
  districtOf(post: string): string;

  readonly whoTitle: string;
  readonly whoDescription: string;
  readonly placeLabel: string;
  readonly latLabel: string;
  readonly lonLabel: string;
  readonly findPlace: string;
  readonly findPoint: string;
  readonly useLocation: string;
  readonly orCoordinates: string;
  whoAnswer(post: string): string;
  readonly whyHeading: string;
  readonly whyPolygon: string;
  whyRegion(region: string): string;
  readonly whyCountry: string;
  delegated(from: string, to: string): string;
  readonly noServingPost: string;
  readonly noCountryHere: string;
  pointLine(lat: string, lon: string, where: string): string;

  readonly alertsHeading: string;
  readonly noAlerts: string;
  readonly allAlerts: string;
  alertsTitle(country: string): string;
  readonly effectiveLabel: string;
  readonly expiresLabel: string;
  readonly issuedBy: string;
  readonly alertNotFound: string;
  readonly alertSuperseded: string;
  readonly alertCancelled: string;
  readonly readNewer: string;

  readonly notFoundTitle: string;
  readonly notFoundText: string;
  readonly backHome: string;
}
