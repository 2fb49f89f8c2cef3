import type { Context } from '../../context.ts';
import type { Answer, AnswerChannel } from '../../domain/checkins/types.ts';
import { PersonCipher } from '../../domain/privacy/index.ts';
import { findLatest, listAnswers } from '../../store/checkins/checkins.ts';
import type { Db } from '../../store/db.ts';
import { findEnrollment, findWrappedKey, listContacts } from '../../store/enrollments/enrollments.ts';

/** A person behind an accountability number, opened for staff (callers audit the read). */
export interface PersonView {
  readonly personId: string;
  readonly name: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly answer: Answer | null;
  readonly answeredAt: string | null;
  readonly channel: AnswerChannel | null;
  readonly note: string | null;
  readonly location: { lat: number; lon: number } | null;
  readonly late: boolean;
}

/** Opens the people of (alert, person) pairs; the erased are simply absent from the map. */
export async function peopleViews(
  ctx: Context,
  db: Db,
  pairs: ReadonlyArray<{ alertId: string; personId: string }>,
): Promise<Map<string, PersonView>> {
  const out = new Map<string, PersonView>();
  for (const { alertId, personId } of pairs) {
    const key = `${alertId}:${personId}`;
    if (out.has(key)) continue;
    const [person, wrapped] = [await findEnrollment(db, personId), await findWrappedKey(db, personId)];
    if (!person || !wrapped) continue;
    const cipher = PersonCipher.open(ctx.privacy.kek, personId, wrapped);
    const contacts = await listContacts(db, personId);
    const contact = (kind: 'email' | 'phone') => {
      const c = contacts.find((x) => x.kind === kind);
      return c ? cipher.decrypt(kind, c.value_enc) : null;
    };
    const latest = await findLatest(db, alertId, personId);
    const answer = latest
      ? (await listAnswers(db, alertId, [personId])).find((a) => a.id === latest.answer_id)
      : undefined;
    out.set(key, {
      personId,
      name: cipher.decrypt('name', person.name_enc),
      email: contact('email'),
      phone: contact('phone'),
      answer: (answer?.answer as Answer | undefined) ?? null,
      answeredAt: answer?.at ?? null,
      channel: (answer?.channel as AnswerChannel | undefined) ?? null,
      note: answer?.note_enc ? cipher.decrypt('checkinNote', answer.note_enc) : null,
      location: answer?.location_enc
        ? (JSON.parse(cipher.decrypt('checkinLocation', answer.location_enc)) as { lat: number; lon: number })
        : null,
      late: answer?.late === 1,
    });
  }
  return out;
}
