// Two people chat through the demo page at /demo/ in headless Chromium, while the room hibernates between messages.
// Run by BrowserDemoSpecs with BASE_URL (the server), METRICS_URL (its /metrics) and CHROMIUM (the browser binary).
// Exits 0 when every step passed; any failed wait throws, and the script exits 1 with the reason.
import { chromium } from "playwright-core";

const baseUrl = process.env.BASE_URL;
const metricsUrl = process.env.METRICS_URL;
const stepTimeout = 15_000;
const room = `browser-${Date.now()}`;

async function join(page, name) {
  page.on("pageerror", (error) => console.error(`[${name}] page error: ${error.message}`));
  await page.goto(`${baseUrl}/demo/`);
  await page.fill("#name", name);
  await page.fill("#room", room);
  await page.click("#join");
  await page.locator("#status", { hasText: `Connected as ${name}` }).waitFor({ timeout: stepTimeout });
}

async function say(page, text) {
  await page.fill("#message", text);
  await page.click("#send");
}

async function seesLine(page, text) {
  await page.locator("#log li", { hasText: text }).waitFor({ timeout: stepTimeout });
}

// The server's own gauge says when no room is left in memory.
async function roomsHibernated() {
  const deadline = Date.now() + stepTimeout;
  while (Date.now() < deadline) {
    const metrics = await (await fetch(metricsUrl)).text();
    if (/^akkahibernation_rooms_resident 0$/m.test(metrics)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`rooms still resident after ${stepTimeout} ms`);
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ["--no-sandbox"] });
try {
  const alice = await browser.newPage();
  const bob = await browser.newPage();
  await join(alice, "alice");
  await join(bob, "bob");
  await alice.locator("#members li", { hasText: "bob" }).waitFor({ timeout: stepTimeout });
  console.log("alice and bob joined");

  await say(alice, "hello from alice");
  await seesLine(bob, "hello from alice");
  console.log("bob saw alice's message");

  await roomsHibernated();
  await say(bob, "hi alice, the room slept");
  await seesLine(alice, "hi alice, the room slept");
  console.log("alice saw bob's message sent to the hibernated room");

  await roomsHibernated();
  const carol = await browser.newPage();
  await join(carol, "carol");
  await seesLine(carol, "hello from alice");
  await seesLine(carol, "hi alice, the room slept");
  await alice.locator("#log li", { hasText: "carol joined" }).waitFor({ timeout: stepTimeout });
  console.log("carol got the history from the hibernated room");
} finally {
  await browser.close();
}
