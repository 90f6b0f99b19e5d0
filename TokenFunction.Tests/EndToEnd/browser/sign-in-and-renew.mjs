// One run of Debian's Chromium through the web sample (samples/web), started by SampleWebPageBrowserTests with
// the addresses in its environment: sign in at the real OpenID provider (authorization code + PKCE), get a token
// for a room from the real worker across origins, check it, force the renewal by moving the page's clock past it,
// check the renewed token, and save a screenshot. Prints one JSON line with what it saw; exits 1 on any failure.
//
// Environment: CHROMIUM (the browser's path), PAGE_URL, PROVIDER_SPKI (base64 SHA-256 of the provider's
// certificate key: the only certificate the browser is told to accept), LOGIN, ROOM, VIDEOSDK_API_KEY,
// VIDEOSDK_API_SECRET (to verify the tokens as VideoSDK would), SCREENSHOT.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { chromium } from 'playwright-core';

const env = (name) => process.env[name] ?? (() => { throw new Error(`${name} is not set`); })();

function verified(token) {
  const [header, payload, signature] = token.split('.');
  const expected = createHmac('sha256', env('VIDEOSDK_API_SECRET')).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error('a token the page got does not verify');
  if (JSON.parse(Buffer.from(header, 'base64url')).alg !== 'HS256') throw new Error('not HS256');
  return JSON.parse(Buffer.from(payload, 'base64url'));
}

const browser = await chromium.launch({
  executablePath: env('CHROMIUM'),
  // Chromium refuses to run its sandbox as root.
  args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), `--ignore-certificate-errors-spki-list=${env('PROVIDER_SPKI')}`],
});
try {
  const page = await browser.newPage();
  const failures = [];
  page.on('pageerror', (error) => failures.push(`page error: ${error.message}`));
  // The page's timers and Date run on a clock the test can move (forced expiry); time flows until then.
  await page.clock.install();
  const tokenAnswers = [];
  page.on('response', async (response) => {
    if (response.request().method() === 'POST' && new URL(response.url()).pathname.endsWith('/api/token')) {
      tokenAnswers.push({ status: response.status(), origin: (await response.request().allHeaders()).origin, body: await response.json().catch(() => null) });
    }
  });

  await page.goto(env('PAGE_URL'));
  await page.locator('#sign-in').click();
  // The provider's own pages (another origin, over https): login, then consent.
  await page.locator('input[name="login"]').fill(env('LOGIN'));
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((url) => url.href.startsWith(env('PAGE_URL')) && !url.search);
  await page.locator('#signed-in').waitFor();

  await page.locator('#room').fill(env('ROOM'));
  await page.locator('#get-token').click();
  await page.locator('#token').waitFor();
  const first = {
    participant: await page.locator('#token-participant').textContent(),
    room: await page.locator('#token-room').textContent(),
    permissions: await page.locator('#token-permissions').textContent(),
    jti: await page.locator('#token-jti').textContent(),
  };
  await page.screenshot({ path: env('SCREENSHOT'), fullPage: true });

  // Forced expiry: jump the page's clock to the renewal time (120 s tokens, renewed with 60 s left).
  await page.clock.fastForward(61_000);
  await page.locator('#token-renewals', { hasText: '1' }).waitFor({ timeout: 30_000 });
  const renewedJti = await page.locator('#token-jti').textContent();

  const claims = tokenAnswers.filter((answer) => answer.status === 200).map((answer) => verified(answer.body.token));
  process.stdout.write(`${JSON.stringify({
    first,
    renewedJti,
    statuses: tokenAnswers.map((answer) => answer.status),
    origins: [...new Set(tokenAnswers.map((answer) => answer.origin))],
    claims: claims.map(({ apikey, roomId, participantId, jti, iat, exp, permissions }) => ({ apikey: apikey === env('VIDEOSDK_API_KEY'), roomId, participantId, jti, lifetime: exp - iat, permissions })),
    error: await page.locator('#error').isVisible() ? await page.locator('#error').textContent() : null,
    failures,
  })}\n`);
} finally {
  await browser.close();
}
