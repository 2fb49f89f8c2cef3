import { useCallback, useEffect, useState } from 'react';

export type Resource<T> =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'error'; message: string; error: unknown }
  | { status: 'loaded'; data: T };

/**
 * Loads `key` with `load` whenever the key changes; a null key means "nothing to load". Earlier
 * requests are aborted so a slow answer for an old key can never overwrite a newer one.
 * `load` must be stable (a module-level function), or it will refetch on every render.
 */
export function useResource<T>(
  key: string | null,
  load: (key: string, signal: AbortSignal) => Promise<T>,
): [Resource<T>, () => void] {
  const [resource, setResource] = useState<Resource<T>>(
    key === null ? { status: 'idle' } : { status: 'loading' },
  );
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    void attempt;
    if (key === null) {
      setResource({ status: 'idle' });
      return;
    }
    const controller = new AbortController();
    setResource({ status: 'loading' });
    load(key, controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setResource({ status: 'loaded', data });
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setResource({
          status: 'error',
          message: err instanceof Error ? err.message : String(err),
          error: err,
        });
      },
    );
    return () => controller.abort();
  }, [key, load, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return [resource, retry];
}
