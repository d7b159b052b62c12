// A real OpenID Connect provider (panva's oidc-provider) with three test users, for the sign-in
// tests and for trying sign-in locally. NOT for production: its login form accepts any password.
//
//   node tools/oidc/start.mjs --port 9400 --redirect-uri http://127.0.0.1:8501/oauth2callback
//
// Options: --port (required), --host (127.0.0.1), --client-id (igot), --client-secret
// (igot-test-secret), --redirect-uri (one or more). Prints one line "READY <issuer>" on stdout
// once it listens, so a test can wait for it; stops on SIGTERM/SIGINT.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    'client-id': { type: 'string', default: 'igot' },
    'client-secret': { type: 'string', default: 'igot-test-secret' },
    'redirect-uri': { type: 'string', multiple: true, default: [] },
  },
});
if (!values.port || values['redirect-uri'].length === 0) {
  console.error('usage: start.mjs --port N --redirect-uri URL [--redirect-uri URL ...]');
  process.exit(2);
}

// One user per role, by e-mail (viewer, planner) or by group claim (the data admin, whose e-mail
// is in no list): config/roles.example.yaml maps them. "nobody" has no mapping at all.
const USERS = {
  viewer: { email: 'viewer@bihar.example', name: 'Vimla Viewer', groups: ['staff'] },
  planner: { email: 'planner@bihar.example', name: 'Pankaj Planner', groups: ['staff'] },
  admin: { email: 'data.officer@bihar.example', name: 'Deepa Admin', groups: ['staff', 'igot-data-admins'] },
  nobody: { email: 'nobody@elsewhere.example', name: 'Nobody Unmapped', groups: [] },
};

const issuer = `http://${values.host}:${values.port}`;
// A fresh signing key per run: nothing secret is kept in the repository.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: values['client-id'],
      client_secret: values['client-secret'],
      redirect_uris: values['redirect-uri'],
      // Streamlit sends the user back to its own /oauth2callback after signing out.
      post_logout_redirect_uris: values['redirect-uri'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256' }] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  scopes: ['openid', 'email', 'profile', 'groups'],
  claims: {
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
  },
  // Streamlit reads the user from the ID token, so the scopes' claims go into it (as most
  // enterprise providers do) rather than only into the userinfo endpoint.
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: true },
    // The stock sign-out page loads a font from the internet; this one is self-contained.
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sign out</title></head>
<body><h1>Sign out of the test provider?</h1>${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button></body></html>`;
      },
    },
  },
  // The app is a first-party client: no consent screen, as a state's own provider would do.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile groups');
    await grant.save();
    return grant;
  },
  async findAccount(_ctx, id) {
    const user = USERS[id];
    if (!user) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: user.email, email_verified: true, name: user.name, groups: user.groups };
      },
    };
  },
});

const server = provider.listen(Number(values.port), values.host, () => {
  console.log(`READY ${issuer}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
