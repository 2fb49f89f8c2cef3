import { INDICATORS, isIndicator } from '../../../src/domain/advisories/levels.ts';

/** An indicator's name (the domain's table), or the code itself for one the console does not know. */
export const indicatorLabel = (code: string): string => (isIndicator(code) ? INDICATORS[code] : code);
