import type { Context } from '../../context.ts';
import { WardenError } from '../../domain/errors.ts';
import { setDrillParticipant } from '../../store/alerts/audience.ts';
import { type Actor, recordAudit } from '../audit/audit.ts';

/** Staff mark (or unmark) one traveller as a drill participant: Exercise and Test alerts reach them. */
export async function setDrillParticipation(
  ctx: Context,
  actor: Actor,
  personId: string,
  participant: boolean,
): Promise<{ participant: boolean }> {
  return ctx.store.db.transaction().execute(async (trx) => {
    if (!(await setDrillParticipant(trx, personId, participant))) {
      throw new WardenError('not_found', 'Enrollment not found.', { id: personId });
    }
    await recordAudit(ctx, trx, actor, 'enrollment.drill', `enrollment:${personId}`, { participant });
    return { participant };
  });
}
