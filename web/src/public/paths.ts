import { isTravellerPath } from '../../../src/site/paths.ts';

/** Pages for travellers and the public: no staff sign-in, no staff top bar (served outside /console). */
export const isPublicPath = isTravellerPath;

/** The country a link from the public site prefilled (`?country=IQ`), or '' when none. */
export function prefilledCountry(): string {
  const c = new URLSearchParams(window.location.search).get('country') ?? '';
  return /^[A-Za-z]{2}$/.test(c) ? c.toUpperCase() : '';
}
