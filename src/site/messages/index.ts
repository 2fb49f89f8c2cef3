import type { MessageLanguage } from '../../domain/messages/languages.ts';
import { AR } from './ar.ts';
import { EN } from './en.ts';
import { FR } from './fr.ts';
import type { SiteWords } from './words.ts';

export type { SiteWords };

const SITE: Readonly<Record<MessageLanguage, SiteWords>> = { en: EN, ar: AR, fr: FR };

export const siteWords = (lang: MessageLanguage): SiteWords => SITE[lang];
