import { canonicalJson } from '../canonical-json.ts';
import { sha256Hex } from '../crypto.ts';
import type { PostureRequestContent } from './types.ts';

/**
 * sha256 of the canonical JSON of a request's content: what an approver reviewed. Apart from the
 * pure posture rules because it needs node:crypto; the console computes the same hash with
 * WebCrypto over the same canonicalJson.
 */
export const contentHash = (c: PostureRequestContent): string => sha256Hex(canonicalJson(c));
