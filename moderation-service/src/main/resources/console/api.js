// The moderation API, as the console calls it: JSON in and out with the session's bearer token, problem details
// turned into ApiError, and the live stream read with fetch (EventSource cannot send an Authorization header).

const API_ROOT = '/api/moderation/';
const STREAM_PATH = '/api/moderation/stream';
// reconnect delays of the live stream; the last one repeats
const BACKOFF_MS = [1000, 2000, 5000, 10000, 20000, 30000];

export class ApiError extends Error {
  constructor(status, problem, message) {
    super(message || (problem && (problem.detail || problem.title)) || `The server answered HTTP ${status}.`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

let getToken = () => null;
let onUnauthorized = () => {};

export function configureApi(options) {
  getToken = options.getToken || getToken;
  onUnauthorized = options.onUnauthorized || onUnauthorized;
}

/**
 * Calls the API. A path starting with "/" is used as is; any other is relative to /api/moderation/
 * (api('comments?status=HELD') is GET /api/moderation/comments?status=HELD).
 */
export async function api(path, { method = 'GET', body, signal } = {}) {
  const url = path.startsWith('/') ? path : API_ROOT + path;
  const headers = { Accept: 'application/json' };
  const token = getToken();
  if (!token) {
    // signed out (or expired) meanwhile: the sign-in screen is already showing, no request can succeed
    throw new ApiError(401, null, 'You are not signed in.');
  }
  headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (error) {
    if (error && error.name === 'AbortError') {
      throw error;
    }
    throw new ApiError(0, null, 'The server could not be reached. Check the connection and try again.');
  }
  if (response.status === 204) {
    return null;
  }
  const text = await response.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!response.ok) {
    const error = new ApiError(response.status, json);
    if (response.status === 401) {
      onUnauthorized(error);
    }
    throw error;
  }
  return json;
}

/**
 * Follows the live stream of moderation events while signed in, reconnecting with back-off. onEvent(type, data)
 * gets 'decided', 'claimed' and 'released' with their JSON, and ('connected', null) on every (re)connection, after
 * which a view should refresh what it may have missed.
 */
export function openStream(onEvent) {
  let closed = false;
  let controller = null;
  let attempt = 0;
  let timer = null;

  async function connect() {
    if (closed) {
      return;
    }
    const token = getToken();
    if (!token) {
      // signed out: the session change takes the console to the sign-in screen
      closed = true;
      return;
    }
    controller = new AbortController();
    try {
      const response = await fetch(STREAM_PATH, {
        headers: { Accept: 'text/event-stream', Authorization: `Bearer ${token}` },
        signal: controller.signal,
        cache: 'no-store',
      });
      if (response.status === 401) {
        closed = true;
        onUnauthorized(new ApiError(401, null, 'The live stream did not accept your session.'));
        return;
      }
      if (!response.ok || !response.body) {
        throw new Error(`stream HTTP ${response.status}`);
      }
      attempt = 0;
      onEvent('connected', null);
      await read(response.body, onEvent);
    } catch (error) {
      if (closed) {
        return;
      }
    }
    if (!closed) {
      // the server ends the stream when the token expires: the next connection uses the renewed one
      const delay = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)];
      attempt += 1;
      timer = setTimeout(connect, delay);
    }
  }

  connect();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      if (controller) {
        controller.abort();
      }
    },
  };
}

async function read(body, onEvent) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let type = '';
  let data = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += decoder.decode(value, { stream: true });
    const lines = buffer.split(/\r\n|\r|\n/);
    // the last piece may be an incomplete line
    buffer = lines.pop();
    for (const line of lines) {
      if (line === '') {
        if (data.length) {
          dispatch(type || 'message', data.join('\n'), onEvent);
        }
        type = '';
        data = [];
      } else if (line.startsWith(':')) {
        // keep-alive comment
      } else {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) {
          value = value.slice(1);
        }
        if (field === 'event') {
          type = value;
        } else if (field === 'data') {
          data.push(value);
        }
      }
    }
  }
}

function dispatch(type, raw, onEvent) {
  let data;
  try {
    data = JSON.parse(raw);
  } catch {
    return;
  }
  try {
    onEvent(type, data);
  } catch (error) {
    // one view's mistake must not end the stream
    console.warn('Live update failed', error);
  }
}
