// The one place the console talks HTTP. Every call goes through here so the CSRF header, cookie
// policy and error shape are impossible to forget.

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  /** Seconds from the Retry-After header, when the server sent one (e.g. login lock-out). */
  readonly retryAfter: number | null;

  constructor(status: number, code: string, message: string, details: unknown, retryAfter: number | null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** Fetch cache mode; 'no-cache' revalidates (ETag -> 304) instead of trusting max-age. */
  cache?: RequestCache;
}

type UnauthenticatedListener = (error: ApiError) => void;
const unauthenticatedListeners = new Set<UnauthenticatedListener>();

/** Lets the app drop back to the login page when a session expires mid-use. */
export function onUnauthenticated(listener: UnauthenticatedListener): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

function parseRetryAfter(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function errorFromBody(
  status: number,
  statusText: string,
  body: unknown,
  retryAfter: number | null,
): ApiError {
  const error = isRecord(body) && isRecord(body.error) ? body.error : null;
  const code = typeof error?.code === 'string' ? error.code : 'http_error';
  const message =
    typeof error?.message === 'string' && error.message
      ? error.message
      : `Request failed (${status}${statusText ? ` ${statusText}` : ''}).`;
  return new ApiError(status, code, message, error?.details ?? null, retryAfter);
}

async function toApiError(res: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(res.headers.get('Retry-After'));
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Proxies and crashed upstreams answer with HTML or nothing; fall through to a generic message.
  }
  return errorFromBody(res.status, res.statusText, body, retryAfter);
}

function notifyUnauthenticated(status: number, error: ApiError): void {
  // Any 401 means there is no usable session ('unauthenticated', 'session_expired', ...) except a
  // failed login, which is just a wrong password.
  if (status === 401 && error.code !== 'invalid_credentials') {
    for (const listener of unauthenticatedListeners) listener(error);
  }
}

export async function apiRequest(path: string, options: RequestOptions = {}): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  // The server refuses cookie-authenticated unsafe requests without this header: a cross-site
  // form or image cannot set custom headers, so its presence proves the request came from us.
  if (method !== 'GET' && method !== 'HEAD') headers['X-Warden-CSRF'] = '1';
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }

  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
      cache: options.cache,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(
      0,
      'network_error',
      'Could not reach the Warden server. Check your connection.',
      null,
      null,
    );
  }

  if (!res.ok) {
    const error = await toApiError(res);
    notifyUnauthenticated(res.status, error);
    throw error;
  }
  return res;
}

export async function apiJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const res = await apiRequest(path, options);
  return (await res.json()) as T;
}

export interface UploadOptions {
  /** e.g. 'text/csv' */
  contentType: string;
  signal?: AbortSignal;
  /** Bytes sent so far and in all (the browser's own upload progress). */
  onProgress?: (sent: number, total: number) => void;
}

/**
 * POSTs a file as the raw body (not JSON), with the same CSRF header and error shape as
 * apiRequest. XMLHttpRequest rather than fetch because only it reports upload progress.
 */
export function apiUpload<T>(path: string, body: Blob | string, options: UploadOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', options.contentType);
    xhr.setRequestHeader('X-Warden-CSRF', '1');
    xhr.responseType = 'text';
    const { signal, onProgress } = options;
    const abort = () => xhr.abort();
    signal?.addEventListener('abort', abort, { once: true });
    if (onProgress) {
      xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : 0);
    }
    xhr.onabort = () => reject(new DOMException('The upload was aborted.', 'AbortError'));
    xhr.onerror = () =>
      reject(
        new ApiError(
          0,
          'network_error',
          'Could not reach the Warden server. Check your connection.',
          null,
          null,
        ),
      );
    xhr.onload = () => {
      signal?.removeEventListener('abort', abort);
      let parsed: unknown = null;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        // Not JSON: handled below as a generic error, or an empty success.
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(parsed as T);
        return;
      }
      const error = errorFromBody(
        xhr.status,
        xhr.statusText,
        parsed,
        parseRetryAfter(xhr.getResponseHeader('Retry-After')),
      );
      notifyUnauthenticated(xhr.status, error);
      reject(error);
    };
    xhr.send(body);
  });
}
