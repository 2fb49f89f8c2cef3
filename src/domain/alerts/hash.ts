import { canonicalJson } from '../canonical-json.ts';
import { sha256Hex } from '../crypto.ts';
import type { AlertContent } from './types.ts';

/**
 * sha256 of the canonical JSON of everything an approver sees: kind, post, status, message type,
 * references, scope, every language's text, the CAP fields, the check-in request, the targeting
 * option and the area (the normalized one, as validated). Key order does not matter; the order of
 * lists does (it is part of what is shown).
 */
export const alertContentHash = (c: AlertContent): string => sha256Hex(canonicalJson(c));
