// A real OpenID Connect provider for the test suite: panva's certified oidc-provider, configured
// entirely from the environment. Started by tests/oidc_provider.py; never used in production.
//
//   OIDC_PORT           port on 127.0.0.1 (0 or unset: any free port; the ready line says which)
//   OIDC_CLIENTS_JSON   JSON array of client metadata (client_id, client_secret, redirect_uris,
//                       post_logout_redirect_uris, token_endpoint_auth_method, ...). A test-only
//                       "id_token_ttl" (seconds) per client overrides OIDC_ID_TOKEN_TTL; the
//                       client "short-lived" gets 1 second unless it says otherwise.
//   OIDC_ACCOUNTS_JSON  JSON object: account id -> claims, e.g.
//                       {"ada": {"email": "ada@nhs.example", "email_verified": true,
//                                "name": "Ada Admin", "groups": ["st-admins"]}}
//   OIDC_ID_TOKEN_TTL   ID token lifetime in seconds (default 3600)
//   OIDC_EXIT_WITH_STDIN=1  stop when stdin closes (the Python helper holds it open)
//
// Sign-in is the provider's own development login page (devInteractions): any login that is a
// key of OIDC_ACCOUNTS_JSON signs in, whatever the password; any other login ends the request
// with error=access_denied at the client's redirect_uri. Prints one line
// "OIDC provider ready at http://127.0.0.1:<port>" when it is listening.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

import Provider, { errors } from 'oidc-provider';

function fromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') {
    if (fallback === undefined) throw new Error(`${name} is not set`);
    return fallback;
  }
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw new Error(`${name} is not valid JSON: ${err.message}`);
  }
}

const HOST = '127.0.0.1';
const port = Number(process.env.OIDC_PORT || 0);
const defaultIdTokenTtl = Number(process.env.OIDC_ID_TOKEN_TTL || 3600);
const accounts = fromEnv('OIDC_ACCOUNTS_JSON', {});
const clientsIn = fromEnv('OIDC_CLIENTS_JSON');
if (!Array.isArray(clientsIn)) throw new Error('OIDC_CLIENTS_JSON must be a JSON array');
if (!Number.isSafeInteger(defaultIdTokenTtl) || defaultIdTokenTtl <= 0) {
  throw new Error('OIDC_ID_TOKEN_TTL must be a positive whole number of seconds');
}

const idTokenTtls = new Map();
const clients = clientsIn.map(({ id_token_ttl: ttl, ...metadata }) => {
  if (ttl !== undefined) idTokenTtls.set(metadata.client_id, Number(ttl));
  else if (metadata.client_id === 'short-lived') idTokenTtls.set(metadata.client_id, 1);
  return {
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...metadata,
  };
});

// Throwaway keys, made at each start: tests fetch the JWKS from the provider.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = {
  ...privateKey.export({ format: 'jwk' }),
  kid: `test-${randomBytes(4).toString('hex')}`,
  alg: 'RS256',
  use: 'sig',
};

function findAccount(_ctx, id) {
  if (!Object.hasOwn(accounts, id)) return undefined;
  return {
    accountId: id,
    async claims() {
      return { ...accounts[id], sub: id };
    },
  };
}

// Listen first (port 0 picks a free one), then make the provider for the issuer that results.
const server = createServer();
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(port, HOST, resolve);
});
const issuer = `http://${HOST}:${server.address().port}`;

const provider = new Provider(issuer, {
  clients,
  findAccount,
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  // Claims that are scopes: "openid email profile groups".
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
  },
  // Put the scopes' claims in the ID token too, so the client can read email and groups from it
  // without calling userinfo.
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  pkce: { required: () => false },
  ttl: {
    IdToken: (_ctx, _token, client) => idTokenTtls.get(client.clientId) ?? defaultIdTokenTtl,
    AccessToken: 3600,
    Grant: 3600,
    Interaction: 3600,
    Session: 3600,
  },
});

// The provider's pages @import a Google font; offline (CI, sandboxes) a browser could wait on it.
provider.use(async (ctx, next) => {
  await next();
  if (typeof ctx.body === 'string' && ctx.response.is('html')) {
    ctx.body = ctx.body.replace(/@import url\(https:\/\/fonts\.googleapis\.com[^)]*\);?/g, '');
  }
});

// devInteractions signs in whatever login is typed; here only the configured accounts may.
// Another login ends the authorization request with access_denied at the client's redirect_uri.
provider.use(async (ctx, next) => {
  if (ctx.method !== 'POST' || !/^\/interaction\/[^/]+$/.test(ctx.path)) return next();
  const chunks = [];
  for await (const chunk of ctx.req) chunks.push(chunk);
  const raw = Buffer.concat(chunks).toString('utf8');
  const body = new URLSearchParams(raw);
  if (body.get('prompt') === 'login' && !Object.hasOwn(accounts, body.get('login') ?? '')) {
    await provider.interactionFinished(ctx.req, ctx.res, {
      error: 'access_denied',
      error_description: 'unknown login',
    }, { mergeWithLastSubmission: false });
    ctx.respond = false;
    return undefined;
  }
  // Hand the form, read here, on to devInteractions (it reads req.body when the stream is spent).
  ctx.req.body = raw;
  return next();
});

for (const event of ['server_error', 'grant.error', 'authorization.error', 'end_session.error']) {
  provider.on(event, (ctx, err) => {
    if (err instanceof errors.OIDCProviderError && event !== 'server_error') {
      console.error(`[oidc ${event}] ${err.error}: ${err.error_description ?? ''}`);
    } else {
      console.error(`[oidc ${event}]`, err);
    }
  });
}

// The provider checks static clients' metadata only when they are first used: check them now, so
// a mistake in a test's clients stops the start instead of failing later as a server_error.
for (const { client_id: clientId } of clients) {
  try {
    await provider.Client.find(clientId);
  } catch (err) {
    throw new Error(`client ${JSON.stringify(clientId)}: ${err.error_description ?? err.message}`);
  }
}

server.on('request', provider.callback());

function stop() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Started by a test: end with the test process, however that ends (its end of stdin closes).
if (process.env.OIDC_EXIT_WITH_STDIN === '1') {
  process.stdin.on('end', stop).on('error', stop).resume();
}

console.log(`OIDC provider ready at ${issuer}`);
