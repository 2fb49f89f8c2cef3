import { type FormEvent, useEffect, useState } from 'react';
import { type AnswerPage, type AnswerResult, sendAnswer, viewAnswerPage } from '../checkins/client.ts';
import { PublicError } from './Field.tsx';
import { PublicPage } from './PublicLayout.tsx';
import { dropFragment, useFragmentToken } from './session.ts';

// "Are you safe?": the page of a check-in link (#token=…, ?answer=safe|need_help), without an
// account, in the recipient's language. The answer is sent only when they press the button.

type Lang = AnswerPage['language'];
type Answer = 'safe' | 'need_help';

const WORDS: Record<
  Lang,
  {
    title: string;
    safe: string;
    help: string;
    note: string;
    share: string;
    sharing: string;
    send: string;
    thanks: Record<Answer, string>;
    cancelled: string;
    noLink: string;
    current: (a: Answer) => string;
  }
> = {
  en: {
    title: 'Are you safe?',
    safe: "I'm safe",
    help: 'I need help',
    note: 'Anything we should know? (optional)',
    share: 'Share my location',
    sharing: 'Location added',
    send: 'Send my answer',
    thanks: {
      safe: 'Thank you. We have noted that you are safe.',
      need_help:
        'We have told the embassy that you need help. Staff will contact you. If you are in danger, call local emergency services.',
    },
    cancelled: 'This alert has been cancelled. Your answer is still recorded.',
    noLink: 'Open the link in the message we sent you.',
    current: (a) => `Your last answer: ${a === 'safe' ? "I'm safe" : 'I need help'}. You can change it.`,
  },
  fr: {
    title: 'Êtes-vous en sécurité ?',
    safe: 'Je suis en sécurité',
    help: "J'ai besoin d'aide",
    note: 'Quelque chose à nous dire ? (facultatif)',
    share: 'Partager ma position',
    sharing: 'Position ajoutée',
    send: 'Envoyer ma réponse',
    thanks: {
      safe: 'Merci. Nous avons noté que vous êtes en sécurité.',
      need_help:
        "Nous avons prévenu l'ambassade que vous avez besoin d'aide. Le personnel vous contactera. En cas de danger, appelez les secours locaux.",
    },
    cancelled: 'Cette alerte a été annulée. Votre réponse est tout de même enregistrée.',
    noLink: 'Ouvrez le lien du message que nous vous avons envoyé.',
    current: (a) =>
      `Votre dernière réponse : ${a === 'safe' ? 'en sécurité' : "besoin d'aide"}. Vous pouvez la changer.`,
  },
  ar: {
    title: 'هل أنت بخير؟',
    safe: 'أنا بخير',
    help: 'أحتاج إلى مساعدة',
    note: 'هل هناك ما يجب أن نعرفه؟ (اختياري)',
    share: 'مشاركة موقعي',
    sharing: 'تمت إضافة الموقع',
    send: 'أرسل إجابتي',
    thanks: {
      safe: 'شكرًا. سجّلنا أنك بخير.',
      need_help:
        'أبلغنا السفارة أنك تحتاج إلى مساعدة. سيتصل بك الموظفون. إن كنت في خطر فاتصل بخدمات الطوارئ المحلية.',
    },
    cancelled: 'أُلغي هذا التنبيه. ما زالت إجابتك مسجّلة.',
    noLink: 'افتح الرابط الموجود في الرسالة التي أرسلناها إليك.',
    current: (a) => `إجابتك الأخيرة: ${a === 'safe' ? 'أنا بخير' : 'أحتاج إلى مساعدة'}. يمكنك تغييرها.`,
  },
};

const initialAnswer = (): Answer =>
  new URLSearchParams(window.location.search).get('answer') === 'need_help' ? 'need_help' : 'safe';

export function CheckinPage() {
  const token = useFragmentToken();
  const [view, setView] = useState<AnswerPage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [answer, setAnswer] = useState<Answer>(initialAnswer);
  const [note, setNote] = useState('');
  const [location, setLocation] = useState<{ lat: number; lon: number } | null>(null);
  const [done, setDone] = useState<AnswerResult | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    dropFragment();
    if (!token) return;
    let live = true;
    viewAnswerPage(token).then(
      (v) => live && setView(v),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [token]);

  const w = WORDS[view?.language ?? 'en'];
  const dir = view?.language === 'ar' ? 'rtl' : 'ltr';
  const share = () =>
    navigator.geolocation?.getCurrentPosition(
      (p) =>
        setLocation({
          lat: Math.round(p.coords.latitude * 1e5) / 1e5,
          lon: Math.round(p.coords.longitude * 1e5) / 1e5,
        }),
      () => setLocation(null),
      { timeout: 10_000 },
    );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!token) return;
    setBusy(true);
    setError(null);
    try {
      setDone(await sendAnswer({ token, answer, note: note.trim() || null, location }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (!token) {
    return (
      <PublicPage title={w.title} testId="checkin-page">
        <p>{w.noLink}</p>
      </PublicPage>
    );
  }
  return (
    <PublicPage title={w.title} testId="checkin-page">
      <div dir={dir} lang={view?.language ?? 'en'}>
        {view ? <p className="lead">{view.title}</p> : null}
        {view?.cancelled ? <p className="notice notice-warn">{w.cancelled}</p> : null}
        {error ? <PublicError error={error} testId="checkin-error" /> : null}
        {done ? (
          <div
            className="notice notice-good"
            role="status"
            data-testid="checkin-done"
            data-answer={done.answer}
          >
            <p>{w.thanks[done.answer]}</p>
          </div>
        ) : view ? (
          <form onSubmit={submit} className="form">
            {view.answer ? <p className="muted">{w.current(view.answer)}</p> : null}
            <fieldset className="checkin-choices">
              {(['safe', 'need_help'] as const).map((a) => (
                <label key={a} className={`choice checkin-${a}`}>
                  <input
                    type="radio"
                    name="answer"
                    value={a}
                    checked={answer === a}
                    onChange={() => setAnswer(a)}
                  />{' '}
                  {a === 'safe' ? w.safe : w.help}
                </label>
              ))}
            </fieldset>
            <label className="field">
              {w.note}
              <textarea
                value={note}
                maxLength={1000}
                onChange={(e) => setNote(e.target.value)}
                data-testid="checkin-note"
              />
            </label>
            <p>
              <button type="button" className="button" onClick={share}>
                {location ? w.sharing : w.share}
              </button>
            </p>
            <button
              type="submit"
              className="button button-primary"
              disabled={busy}
              data-testid="checkin-submit"
            >
              {w.send}
            </button>
          </form>
        ) : error ? null : (
          <p role="status" className="muted">
            …
          </p>
        )}
      </div>
    </PublicPage>
  );
}
