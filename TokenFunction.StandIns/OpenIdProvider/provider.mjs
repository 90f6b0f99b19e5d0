// A real, OpenID Certified provider (oidc-provider, by panva) for the caller-authentication tests.
// Started by OpenIdProviderFixture as `node provider.mjs <settings.json>`; it prints one JSON line
// ({"port": ...}) on stdout once it listens, and runs until killed.
//
// Settings (written by the fixture):
//   port             0 for any free port; a restart passes the port it had, so the issuer URLs stay the same
//   certificateFile, privateKeyFile   the tests' TLS certificate (PEM)
//   keyStoreFile     the private signing keys (JWKS), created on first start and kept across restarts
//   newKeys          true: a restart with a new key set in front of the stored one (key rollover; the old
//                    keys stay published so tokens already issued still verify)
//   issuerPaths      one provider per path (e.g. "/realms/tests"), all on one port and one key set
//   resources        resource indicator (the token's audience) -> JWS algorithm its tokens are signed with
//   clients          [{clientId, clientSecret, claims, overrides, omit, lifetime}] (all but the first two
//                    optional): `claims` are added to every access token the client gets (extraTokenClaims);
//                    `overrides` replace registered claims such as `sub` (null and numbers too), `omit` removes
//                    claims, `lifetime` {notBefore, expires} sets nbf/exp in seconds from now (JWT customizer)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import https from 'node:https';
import Provider, { errors } from 'oidc-provider';

if (Number(process.versions.node.split('.')[0]) < 20) {
  process.stderr.write(`Node.js 20 or later is needed for the OpenID provider of the tests; this is ${process.version}.\n`);
  process.exit(1);
}

const settings = JSON.parse(readFileSync(process.argv[2], 'utf8'));

function newSigningKey(alg) {
  const { privateKey } = alg.startsWith('ES')
    ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), alg, use: 'sig', kid: `${alg.toLowerCase()}-${randomUUID().slice(0, 8)}` };
}

// One key per algorithm in use: oidc-provider signs with the first key of the set that fits the algorithm.
function loadKeys() {
  const stored = existsSync(settings.keyStoreFile) ? JSON.parse(readFileSync(settings.keyStoreFile, 'utf8')).keys : [];
  if (stored.length > 0 && !settings.newKeys) {
    return stored;
  }
  const algorithms = [...new Set(Object.values(settings.resources))];
  const keys = [...algorithms.map(newSigningKey), ...stored];
  writeFileSync(settings.keyStoreFile, JSON.stringify({ keys }), { mode: 0o600 });
  return keys;
}

const keys = loadKeys();
const clientsById = new Map(settings.clients.map((c) => [c.clientId, c]));

function configuration() {
  return {
    jwks: { keys },
    clients: settings.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_post',
    })),
    features: {
      clientCredentials: { enabled: true },
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        // Without a resource parameter the token is opaque and unusable here: the tests always name one.
        defaultResource: () => undefined,
        getResourceServerInfo(_ctx, resourceIndicator) {
          const alg = settings.resources[resourceIndicator];
          if (!alg) {
            throw new errors.InvalidTarget();
          }
          return { scope: 'api', audience: resourceIndicator, accessTokenFormat: 'jwt', accessTokenTTL: 600, jwt: { sign: { alg } } };
        },
      },
    },
    // Roles and other claims as the client's profile shapes them (nested objects, namespaced names...).
    extraTokenClaims(_ctx, token) {
      return clientsById.get(token.clientId)?.claims ?? undefined;
    },
    formats: {
      customizers: {
        // extraTokenClaims cannot replace `sub` (the client id under client credentials) or the times;
        // this can, to shape odd subjects (null, a number, none) and tokens outside their lifetime.
        jwt(_ctx, token, jwt) {
          const client = clientsById.get(token.clientId);
          Object.assign(jwt.payload, client?.overrides);
          for (const name of client?.omit ?? []) {
            delete jwt.payload[name];
          }
          if (client?.lifetime) {
            const now = Math.floor(Date.now() / 1000);
            jwt.payload.nbf = now + client.lifetime.notBefore;
            jwt.payload.exp = now + client.lifetime.expires;
            jwt.payload.iat = Math.min(jwt.payload.iat, jwt.payload.nbf);
          }
        },
      },
    },
  };
}

const origin = () => `https://127.0.0.1:${server.address().port}`;
let mounted = [];

// Each provider lives under its issuer path: the request path loses the prefix (oidc-provider routes from
// its own root) while originalUrl keeps it, which is what the provider builds its own URLs from.
const server = https.createServer(
  { cert: readFileSync(settings.certificateFile), key: readFileSync(settings.privateKeyFile) },
  (req, res) => {
    const target = mounted.find(({ path }) => req.url === path || req.url.startsWith(`${path}/`) || req.url.startsWith(`${path}?`));
    if (!target) {
      res.writeHead(404).end();
      return;
    }
    req.originalUrl = req.url;
    req.url = req.url.slice(target.path.length) || '/';
    target.handle(req, res);
  },
);

server.listen(settings.port, '127.0.0.1', () => {
  mounted = settings.issuerPaths.map((path) => {
    const provider = new Provider(origin() + path, configuration());
    // Its own failures reach the fixture's error message through stderr.
    provider.on('server_error', (_ctx, error) => process.stderr.write(`server_error: ${error.stack}\n`));
    return { path, handle: provider.callback() };
  });
  process.stdout.write(`${JSON.stringify({ port: server.address().port, kids: keys.map((k) => k.kid) })}\n`);
});

// The fixture closes stdin when it lets go: never outlive it.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
