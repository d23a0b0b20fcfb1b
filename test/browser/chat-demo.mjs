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

// A browser's own WebSockets. To the seed's room: it offers permessage-deflate (every browser does) and gets the seed's
// frames, short ones plain and long ones compressed. With a subprotocol offered: the seed's room selects none, and
// the browser fails the handshake (as it would against Cloudflare); the chat room selects chat.v1. Returns what the page saw.
async function socketsFromThePage(page, longMessage) {
  return page.evaluate(async (longMessage) => {
    const base = location.origin.replace(/^http/, "ws");
    const open = (url, protocols) =>
      new Promise((resolve) => {
        const ws = new WebSocket(url, protocols);
        ws.onopen = () => resolve(ws);
        ws.onerror = () => resolve(null);
      });
    const seed = await open(`${base}/websocket`);
    const frames = [];
    seed.onmessage = (event) => frames.push(event.data);
    seed.send("short");
    seed.send(longMessage);
    const deadline = Date.now() + 10_000;
    while (frames.length < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    seed.close(1000);

    const seedWithProtocol = await open(`${base}/websocket`, ["chat"]);
    const chat = await open(`${base}/parties/chat/protocol-check?name=probe`, ["chat.v1"]);
    chat?.close(1000);
    return { extensions: seed.extensions, frames, seedWithProtocolOpened: seedWithProtocol !== null, chatProtocol: chat?.protocol };
  }, longMessage);
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

  const longMessage = "a long line for the compressor ".repeat(80);
  const seen = await socketsFromThePage(carol, longMessage);
  if (seen.extensions !== "permessage-deflate; server_no_context_takeover; client_no_context_takeover")
    throw new Error(`negotiated extensions: '${seen.extensions}'`);
  const id = /from: ([0-9a-f-]{36}), to: /.exec(seen.frames[0])?.[1];
  const line = (message, to) => `[Durable Object] message: ${message}, from: ${id}, to: ${to}. Total connections: 1`;
  const expected = [line("short", "the initiating client"), line("short", "all clients"),
    line(longMessage, "the initiating client"), line(longMessage, "all clients")];
  if (JSON.stringify(seen.frames) !== JSON.stringify(expected)) throw new Error(`seed frames: ${JSON.stringify(seen.frames)}`);
  if (seen.seedWithProtocolOpened) throw new Error("the browser accepted a 101 that answered none of its subprotocols");
  if (seen.chatProtocol !== "chat.v1") throw new Error(`the chat room's subprotocol: '${seen.chatProtocol}'`);
  console.log("the browser negotiated permessage-deflate and got the seed's frames, short and compressed; subprotocols as expected");
} finally {
  await browser.close();
}
