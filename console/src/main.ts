/**
 * The console's entry: sign-in, then the signed-in view (app.ts). The key pair lives in this tab's
 * sessionStorage only (gone when the tab closes, never sent anywhere: it signs requests, it is not a token). The
 * API endpoint is this page's origin and path up to /console/, so it follows CONTROL_PATH_PREFIX.
 */
import { Api, ApiError, accessDeniedText, type Credentials } from "./api.js";
import { App } from "./app.js";
import { byId } from "./dom.js";

const STORAGE_KEY = "splitfront.console.credentials";
const endpoint = `${location.origin}${location.pathname.replace(/\/console(\/.*)?$/, "")}`;

function stored(): Credentials | null {
  try {
    const c = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? "null") as Partial<Credentials> | null;
    return typeof c?.accessKeyId === "string" && typeof c.secretAccessKey === "string"
      ? { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey }
      : null;
  } catch {
    return null;
  }
}

let app: App | null = null;

function showSignIn(message = ""): void {
  app?.stop();
  app = null;
  sessionStorage.removeItem(STORAGE_KEY);
  byId("app").hidden = true;
  byId("session").hidden = true;
  byId("sign-in").hidden = false;
  byId("sign-in-error").textContent = message;
  const secret = byId<HTMLInputElement>("secret-access-key");
  secret.value = "";
  secret.setAttribute("aria-invalid", String(message !== ""));
  const id = byId<HTMLInputElement>("access-key-id");
  (message !== "" && id.value !== "" ? secret : id).focus();
}

function showApp(credentials: Credentials): void {
  byId("sign-in").hidden = true;
  byId("app").hidden = false;
  byId("session").hidden = false;
  byId("who").textContent = `Signed in as ${credentials.accessKeyId}`;
  app = new App(new Api(endpoint, credentials), (message) => showSignIn(message));
  app.start();
}

/** Web Crypto (which signs) exists only in secure contexts: https, or http on loopback names. */
function cryptoMissing(): boolean {
  return globalThis.crypto?.subtle === undefined;
}

async function signIn(e: SubmitEvent): Promise<void> {
  e.preventDefault();
  const credentials: Credentials = {
    accessKeyId: byId<HTMLInputElement>("access-key-id").value.trim(),
    secretAccessKey: byId<HTMLInputElement>("secret-access-key").value,
  };
  const error = byId("sign-in-error");
  if (credentials.accessKeyId === "" || credentials.secretAccessKey === "") {
    error.textContent = "Enter both the Access key ID and the Secret access key.";
    return;
  }
  const button = byId<HTMLButtonElement>("sign-in-button");
  button.disabled = true;
  error.textContent = "";
  try {
    // The cheapest signed call: it proves the pair before anything is kept.
    await new Api(endpoint, credentials).xml("GET", "/2020-05-31/distribution?MaxItems=1");
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credentials));
    showApp(credentials);
  } catch (err) {
    const message =
      err instanceof ApiError && err.code === "AccessDenied"
        ? accessDeniedText(err)
        : `Could not sign in: ${err instanceof Error ? err.message : String(err)}`;
    showSignIn(message);
    byId<HTMLInputElement>("access-key-id").value = credentials.accessKeyId;
    byId<HTMLInputElement>("secret-access-key").focus();
  } finally {
    button.disabled = false;
  }
}

function boot(): void {
  byId<HTMLFormElement>("sign-in-form").addEventListener("submit", (e) => void signIn(e));
  byId("sign-out").addEventListener("click", () => showSignIn());
  if (cryptoMissing()) {
    showSignIn(
      "This page is not a secure context (https, or http on localhost), so the browser offers no Web Crypto to sign requests with: open the console over https.",
    );
    byId<HTMLButtonElement>("sign-in-button").disabled = true;
    return;
  }
  const credentials = stored();
  if (credentials === null) showSignIn();
  else showApp(credentials);
}

boot();
