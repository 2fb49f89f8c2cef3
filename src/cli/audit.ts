import { verifyAuditLog } from '../services/audit/audit.ts';
import { out, withContext } from './common.ts';

export async function auditVerifyCommand(): Promise<void> {
  const result = await withContext((ctx) => verifyAuditLog(ctx));
  if (result.ok) {
    out(`Audit log intact: ${result.checked} entries.`);
    if (result.head)
      out(`Head: #${result.head.seq} ${result.head.hash} (keep this elsewhere to detect truncation)`);
    return;
  }
  const b = result.firstBreak!;
  const why =
    b.reason === 'hash_mismatch'
      ? 'its content does not match its hash (altered)'
      : b.reason === 'prev_hash_mismatch'
        ? 'it does not follow from the entry before it (altered, reordered or a predecessor removed)'
        : `expected #${b.expectedSeq} here (entries removed)`;
  out(`Audit log BROKEN at entry #${b.seq}: ${why}. ${result.checked} entries before it verified.`);
  process.exitCode = 1;
}
