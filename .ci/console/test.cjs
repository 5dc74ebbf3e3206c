// The web console as people use it, in headless Chromium. Each check
// throws on failure; the run prints what passed and exits non-zero if any
// failed. Data is made through the API as a client would.
"use strict";
const path = require("path");
const { chromium } = require(path.join(process.env.NODE_PATH, "playwright-core"));

const BASE = process.env.BASE;
const shots = process.env.SCREENSHOTS;
const demo = { user: "1", key: process.env.DEMO_KEY };
const other = { user: process.env.OTHER_USERID, key: process.env.OTHER_KEY };
const results = [];

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

async function api(who, method, call, params) {
  const query = new URLSearchParams([["auth-userid", who.user], ["api-key", who.key]]);
  for (const [k, v] of params) query.append(k, v);
  const response = await fetch(`${BASE}/api/${call}.json?${query}`, { method });
  const text = await response.text();
  let body;
  try { body = JSON.parse(text); } catch { body = text; }
  return { status: response.status, body };
}

const customer = (username, name) => [
  ["username", username], ["passwd", "secret123x"], ["name", name], ["company", "Co"],
  ["address-line-1", "1 Road"], ["city", "Pune"], ["state", "MH"], ["country", "IN"],
  ["zipcode", "411001"], ["phone-cc", "91"], ["phone", "9876543210"],
];

async function check(name, run) {
  try {
    await run();
    results.push(["PASS", name]);
  } catch (error) {
    results.push(["FAIL", name, String(error && error.stack || error)]);
  }
}

async function signIn(browser, how) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  page.on("dialog", (dialog) => { page.__dialogs = (page.__dialogs || 0) + 1; dialog.dismiss(); });
  await page.goto(`${BASE}/console/`);
  if (how.admin) {
    await page.getByLabel("Admin token").fill(how.admin);
  } else {
    await page.getByLabel("auth-userid").fill(how.user);
    await page.getByLabel("api-key").fill(how.key);
  }
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForLoadState("load");
  return page;
}

async function shot(page, name) {
  if (shots) await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

(async () => {
  // The data: two resellers' customers, an order that renews, a .in name
  // waiting for NIXI verification, and a customer whose name is an attack.
  const xssName = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;
  const ours = await api(demo, "POST", "customers/signup", customer("buyer@example.com", "Asha Buyer"));
  assert(ours.status === 200, `signup: ${JSON.stringify(ours.body)}`);
  const buyer = String(ours.body);
  const attack = await api(demo, "POST", "customers/signup", customer("attack@example.com", xssName));
  assert(attack.status === 200, `signup: ${JSON.stringify(attack.body)}`);
  const theirs = await api(other, "POST", "customers/signup", customer("secret@example.com", "Their Secret Customer"));
  assert(theirs.status === 200, `other signup: ${JSON.stringify(theirs.body)}`);
  await api(demo, "POST", "billing/add-customer-fund", [["customer-id", buyer], ["amount", "100"], ["description", "funds"], ["transaction-type", "receipt"], ["transaction-key", "console-1"]]);
  const vps = await api(demo, "POST", "vps/linux/us/add", [["domain-name", "renewing.example.com"], ["customer-id", buyer], ["months", "1"], ["plan-id", "101"], ["auto-renew", "true"], ["invoice-option", "PayInvoice"]]);
  assert(vps.status === 200, `vps: ${JSON.stringify(vps.body)}`);
  const vpsId = vps.body.entityid;
  await api(other, "POST", "billing/add-customer-fund", [["customer-id", String(theirs.body)], ["amount", "50"], ["description", "funds"], ["transaction-type", "receipt"], ["transaction-key", "other-1"]]);
  const theirOrder = await api(other, "POST", "vps/linux/us/add", [["domain-name", "theirs.example.com"], ["customer-id", String(theirs.body)], ["months", "1"], ["plan-id", "101"], ["invoice-option", "NoInvoice"]]);
  assert(theirOrder.status === 200, `their order: ${JSON.stringify(theirOrder.body)}`);
  const contact = await api(demo, "POST", "contacts/add", [["customer-id", buyer], ["type", "Contact"], ["name", "Asha Buyer"], ["company", "Co"], ["email", "asha@example.com"], ["address-line-1", "1 Road"], ["city", "Pune"], ["country", "IN"], ["zipcode", "411001"], ["phone-cc", "91"], ["phone", "9876543210"]]);
  const c = String(contact.body);
  const domain = await api(demo, "POST", "domains/register", [["domain-name", "console-shop.in"], ["years", "1"], ["ns", "ns1.example.net"], ["customer-id", buyer], ["reg-contact-id", c], ["admin-contact-id", c], ["tech-contact-id", c], ["billing-contact-id", c], ["invoice-option", "NoInvoice"]]);
  assert(domain.status === 200, `domain: ${JSON.stringify(domain.body)}`);

  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const admin = await signIn(browser, { admin: process.env.ADMIN_TOKEN });
  const reseller = await signIn(browser, demo);

  await check("the admin token signs in and sees every reseller", async () => {
    await admin.getByText("Signed in with the admin token").waitFor();
    const rows = await admin.locator("table tbody tr").allTextContents();
    assert(rows.some((r) => r.includes("Demo Reseller")) && rows.some((r) => r.includes("Other Reseller")), `rows: ${rows}`);
    await shot(admin, "overview");
  });

  await check("a reseller's credentials sign in to its own data only", async () => {
    await reseller.getByText("Signed in as reseller 1").waitFor();
    const rows = await reseller.locator("table tbody tr").allTextContents();
    assert(rows.length === 1 && rows[0].includes("Demo Reseller"), `rows: ${rows}`);
    await reseller.getByRole("link", { name: "Customers" }).click();
    const text = await reseller.locator("main").textContent();
    assert(text.includes("buyer@example.com"), "its own customer is listed");
    assert(!text.includes("Their Secret Customer"), "another reseller's customer is not");
    await reseller.goto(`${BASE}/console/customers?reseller=${other.user}`);
    assert(!(await reseller.locator("main").textContent()).includes("Their Secret Customer"), "asking for another reseller changes nothing");
    const response = await reseller.goto(`${BASE}/console/orders/${theirOrder.body.entityid}`);
    assert(response.status() === 404, `another's order answered ${response.status()}`);
    assert((await reseller.locator("main").textContent()).includes("No such order"), "it says so");
    const clock = await reseller.goto(`${BASE}/console/clock`);
    assert(clock.status() === 403, `the clock answered a reseller ${clock.status()}`);
  });

  await check("a customer's name that is markup renders as text", async () => {
    await reseller.goto(`${BASE}/console/customers`);
    const cell = reseller.locator("td.name", { hasText: "<script>" });
    assert((await cell.count()) === 1, "the name is shown as written");
    assert((await cell.textContent()).includes(`onerror="window.__xss=1"`), "every character of it");
    const ran = await reseller.evaluate(() => window.__xss);
    assert(ran === undefined, `the markup ran: ${ran}`);
    assert(!reseller.__dialogs, "no dialog opened");
    assert((await reseller.locator("main img").count()) === 0, "no image element was made");
    await shot(reseller, "customers");
  });

  await check("a NIXI verification mail's link, clicked, verifies the registrant", async () => {
    await reseller.goto(`${BASE}/console/outbox`);
    const mail = reseller.locator("article.mail", { hasText: "nixi-verification" }).first();
    await mail.waitFor();
    await shot(reseller, "outbox");
    const link = mail.locator("ul.links a").first();
    await link.click();
    await reseller.waitForLoadState("load");
    const text = await reseller.locator("body").textContent();
    assert(text.includes("console-shop.in") && text.includes("is verified"), `the page said: ${text.slice(0, 300)}`);
  });

  await check("advancing the clock renews an order, shown with its jobs and actions", async () => {
    await admin.goto(`${BASE}/console/clock`);
    await admin.getByLabel("Days to advance").fill("31");
    await admin.getByRole("button", { name: "Advance the clock" }).click();
    await admin.getByText(/What ran: \d+ jobs/).waitFor();
    const jobs = await admin.locator("tr.job").allTextContents();
    assert(jobs.some((j) => j.includes(String(vpsId)) && j.includes("renewal")), `jobs: ${jobs}`);
    await shot(admin, "clock");
    await admin.goto(`${BASE}/console/orders/${vpsId}?reseller=1`);
    const actions = await admin.locator("tr.action").allTextContents();
    assert(actions.some((a) => a.includes("Renew")), `actions: ${actions}`);
    await shot(admin, "order");
  });

  await check("a fault added in the console fires, and the live journal shows it", async () => {
    await admin.goto(`${BASE}/console/faults`);
    await admin.getByLabel(/^Call/).fill("customers/details-by-id");
    await admin.getByLabel("HTTP status to answer").fill("500");
    await admin.getByLabel("Message in the envelope").fill("Injected by the console test");
    await admin.getByLabel(/^Hits/).fill("1");
    await admin.getByRole("button", { name: "Add the rule" }).click();
    await admin.locator("tr.rule", { hasText: "customers/details-by-id" }).waitFor();
    await shot(admin, "faults");
    const journal = await admin.context().newPage();
    await journal.goto(`${BASE}/console/journal`);
    await journal.getByText("Live: new requests appear").waitFor();
    const hit = await api(demo, "GET", "customers/details-by-id", [["customer-id", buyer]]);
    assert(hit.status === 500 && hit.body.message === "Injected by the console test", `the call got ${JSON.stringify(hit)}`);
    await journal.locator("#journal tr", { hasText: "Injected by the console test" }).first().waitFor({ timeout: 10000 });
    const after = await api(demo, "GET", "customers/details-by-id", [["customer-id", buyer]]);
    assert(after.status === 200, "the rule's one hit is spent");
    await shot(journal, "journal");
  });

  await check("every field has a label, and the pages fit a phone", async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await phone.newPage();
    for (const cookie of await admin.context().cookies()) await phone.addCookies([cookie]);
    for (const route of ["/console/", "/console/faults", "/console/clock", "/console/snapshots", "/console/tenants", "/console/orders"]) {
      await page.goto(`${BASE}${route}`);
      const unlabeled = await page.evaluate(() => [...document.querySelectorAll("input:not([type=hidden]), select")].filter((e) => e.labels.length === 0).map((e) => e.name));
      assert(unlabeled.length === 0, `${route}: fields without a label: ${unlabeled}`);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(wide <= 390, `${route} is ${wide}px wide at 390px`);
    }
    await page.goto(`${BASE}/console/orders`);
    await shot(page, "phone-orders");
  });

  await check("a form without its token is refused and changes nothing", async () => {
    const cookies = (await admin.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const forged = await fetch(`${BASE}/console/faults/clear`, { method: "POST", headers: { cookie: cookies, "content-type": "application/x-www-form-urlencoded" }, body: "csrf=forged", redirect: "manual" });
    assert(forged.status === 403, `a forged post answered ${forged.status}`);
    await admin.goto(`${BASE}/console/faults`);
    assert((await admin.locator("tr.rule").count()) === 1, "the rule is still there");
    const cookie = (await admin.context().cookies()).find((c) => c.name === "reseller_console");
    assert(cookie.httpOnly && cookie.sameSite === "Strict", `the session cookie is ${JSON.stringify(cookie)}`);
  });

  await check("the admin makes a tenant, its key shown once, and it is listed with its own clock", async () => {
    await admin.goto(`${BASE}/console/tenants`);
    await admin.getByLabel("Opening funds (USD)").fill("250");
    await admin.getByLabel("A clock of its own").check();
    await admin.getByRole("button", { name: "Make the tenant" }).click();
    const key = await admin.locator("#tenant-key").textContent();
    assert(/^[0-9a-f]{64}$/.test(key), `a key shown once: ${key}`);
    const row = admin.locator("tr.tenant").last();
    assert((await row.textContent()).includes("250.000 USD"), "its funds are listed");
    assert((await row.textContent()).includes("(its own clock)"), "its clock is its own");
    await shot(admin, "tenants");
  });

  await check("snapshots are taken and listed; signing out ends the session", async () => {
    await admin.goto(`${BASE}/console/snapshots`);
    await admin.getByLabel(/Keep a snapshot named/).fill("after-console-test");
    await admin.getByRole("button", { name: "Take the snapshot" }).click();
    await admin.getByText("Snapshot after-console-test taken.").waitFor();
    await shot(admin, "snapshots");
    await admin.getByRole("button", { name: "Sign out" }).click();
    await admin.getByRole("heading", { name: "Sign in to the reseller console" }).waitFor();
  });

  await browser.close();
  for (const [verdict, name, why] of results) {
    console.log(`${verdict}  ${name}`);
    if (why) console.log(`      ${why.split("\n").slice(0, 4).join("\n      ")}`);
  }
  const failed = results.filter((r) => r[0] === "FAIL").length;
  console.log(`console in Chromium: ${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
