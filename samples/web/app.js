// Signs the user in with oidc-client-ts (authorization code + PKCE, an access token for the token service's
// audience through a resource indicator), then gets a VideoSDK token for a room through the token source,
// which renews it ahead of expiry. The page shows the token's facts, never the token itself.
import { UserManager } from "oidc-client-ts";
import { TokenProblemError, TokenSource } from "videosdk-token-source";

// config.json: { authority, clientId, resource, apiBaseUrl, scope?, ttlSeconds? } (see README.md).
const config = await (await fetch("./config.json", { cache: "no-store" })).json();
const pageUrl = new URL("./", location.href).href;
const $ = (id) => document.getElementById(id);
let renewals = 0;

const users = new UserManager({
  authority: config.authority,
  client_id: config.clientId,
  redirect_uri: pageUrl,
  silent_redirect_uri: pageUrl,
  scope: config.scope ?? "openid",
  // RFC 8707: ask for an access token whose audience is the token service, not the OpenID provider.
  resource: config.resource,
});

// Back from the provider (a redirect, or the hidden frame of a silent sign-in): finish the sign-in.
const query = new URLSearchParams(location.search);
const isCallback = query.has("state") && (query.has("code") || query.has("error"));
if (isCallback) {
  try {
    await users.signinCallback();
  } catch (error) {
    showError(`Sign-in failed: ${error.message}`);
  }
  history.replaceState(null, "", pageUrl);
}
// In the hidden frame of a silent sign-in, signinCallback has handed the answer to the page: nothing more to do.
if (!(isCallback && window.parent !== window)) await start();

async function start() {
  const tokens = new TokenSource({
    baseUrl: config.apiBaseUrl,
    ...(config.ttlSeconds ? { ttlSeconds: config.ttlSeconds } : {}),
    getAccessToken: async ({ forceRefresh }) => {
      let user = await users.getUser();
      if (forceRefresh || !user || user.expired) user = await users.signinSilent();
      return user?.access_token;
    },
    renewAhead: true,
    onRenewed: (issued) => {
      renewals++;
      show(issued);
    },
    onRenewalError: (error) => showError(`Renewal failed, the current token stays in use: ${describe(error)}`),
  });

  $("sign-in").addEventListener("click", () => users.signinRedirect());
  $("sign-out").addEventListener("click", async () => {
    tokens.dispose();
    await users.removeUser();
    location.reload();
  });
  $("get-token").addEventListener("click", async () => {
    $("error").hidden = true;
    try {
      show(await tokens.getToken({ roomId: $("room").value }));
    } catch (error) {
      showError(describe(error));
    }
  });

  const user = await users.getUser();
  $("status").textContent = user ? "Signed in." : "Not signed in.";
  $("signed-in").hidden = !user;
  $("signed-out").hidden = !!user;
  if (user) $("user").textContent = user.profile.sub;
}

// What VideoSDK would be given: VideoSDK.config(issued.token) and initMeeting({ ..., participantId }).
function show(issued) {
  $("token").hidden = false;
  $("token-room").textContent = issued.roomId ?? "any room";
  $("token-participant").textContent = issued.participantId ?? "none (VideoSDK picks one)";
  $("token-permissions").textContent = issued.permissions.join(", ");
  $("token-expires").textContent = new Date(issued.expiresAt).toLocaleString();
  $("token-expires").dataset.expiresAt = issued.expiresAt;
  $("token-jti").textContent = JSON.parse(atob(issued.token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).jti;
  $("token-renewals").textContent = String(renewals);
}

function describe(error) {
  if (error instanceof TokenProblemError) return `${error.status} ${error.code ?? ""}: ${error.detail ?? error.message} (trace ${error.traceId ?? "none"})`;
  return error?.message ?? String(error);
}

function showError(text) {
  $("error").textContent = text;
  $("error").hidden = false;
}
