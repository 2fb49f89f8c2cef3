// After a change (a task resolved, a posture approved) other parts of the screen, such as the
// navigation badges, refresh without a full reload.

const EVENT = 'warden:data-changed';

export function announceChange(): void {
  window.dispatchEvent(new Event(EVENT));
}

export function onChange(listener: () => void): () => void {
  window.addEventListener(EVENT, listener);
  return () => window.removeEventListener(EVENT, listener);
}
