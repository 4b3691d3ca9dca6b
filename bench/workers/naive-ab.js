/**
 * The A/B worker people write from the public examples (Cloudflare's "A/B testing with same-URL direct access"):
 * read a plain group cookie, else draw with Math.random(), fetch the group's origin, set the cookie on the way
 * out. No signing, no expiry, no config lookup. env.PRIMARY / env.STAGING are "http://127.0.0.1:<port>".
 */
const NAME = "ab-group";
const STAGING_SHARE = 0.1;

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const cookie = request.headers.get("cookie") || "";
    let group = null;
    if (cookie.includes(`${NAME}=staging`)) group = "staging";
    else if (cookie.includes(`${NAME}=primary`)) group = "primary";
    const isNew = group === null;
    if (isNew) group = Math.random() < STAGING_SHARE ? "staging" : "primary";
    const base = group === "staging" ? env.STAGING : env.PRIMARY;
    const response = await fetch(base + url.pathname + url.search, request);
    if (!isNew) return response;
    const out = new Response(response.body, response);
    out.headers.append("set-cookie", `${NAME}=${group}; Path=/`);
    return out;
  },
};
