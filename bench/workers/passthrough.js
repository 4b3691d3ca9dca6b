/**
 * The physical limit: a module worker that forwards every request to the origin and does nothing else.
 * env.ORIGIN is "http://127.0.0.1:<port>".
 */
export default {
  fetch(request, env) {
    const url = new URL(request.url);
    return fetch(env.ORIGIN + url.pathname + url.search, request);
  },
};
