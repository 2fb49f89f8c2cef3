import { isTravellerPath } from '../../../src/site/paths.ts';

/** Pages for travellers and the public: no staff sign-in, no staff top bar (served outside /console). */
export const isPublicPath = isTravellerPath;
