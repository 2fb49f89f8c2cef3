import { hmacHex } from '../crypto.ts';

/**
 * What is kept of a person an organisation enrolled who then deleted their enrollment themselves:
 * a keyed hash of (organisation, external id), enough for the organisation's next import to
 * recognise them and leave them out, and nothing that names them (the organisation's own id for
 * the person may be personal data: an employee number). Key: deriveKey(secret, 'organisation-tombstone').
 */
export const tombstoneHash = (key: Buffer, organisationId: string, externalId: string): string =>
  hmacHex(key, `${organisationId}\n${externalId}`).slice(0, 32);

/** The `re_enroll` column and API field: yes/true/1 enrolls a tombstoned person again. */
export function reEnrollFlag(raw: string): boolean | null {
  const v = raw.trim().toLowerCase();
  if (v === '' || v === 'no' || v === 'false' || v === '0') return false;
  if (v === 'yes' || v === 'true' || v === '1') return true;
  return null;
}
