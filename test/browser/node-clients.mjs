// Real Node.js clients against the server: `ws` with permessage-deflate on and off, and PartyKit's `partysocket`
// (which builds /parties/{party}/{room}?_pk={id}) in the seed's room and in the chat room.
// Run by NodeClientSpecs with BASE_URL (ws://host:port) and HOST (host:port). Exits 0 when every check passed; a failed
// check throws, and the script exits 1 with the reason.
import WebSocket from "ws";
import PartySocket from "partysocket";
import assert from "node:assert/strict";

const baseUrl = process.env.BASE_URL;
const host = process.env.HOST;
const stepTimeout = 10_000;

/** A client whose incoming text frames queue up, so each check can wait for the next one with a timeout. */
function queued(socket) {
  const frames = [];
  const waiters = [];
  socket.addEventListener("message", (event) => {
    const text = typeof event.data === "string" ? event.data : Buffer.from(event.data).toString("utf8");
    const waiter = waiters.shift();
    if (waiter) waiter(text);
    else frames.push(text);
  });
  return {
    socket,
    next() {
      if (frames.length > 0) return Promise.resolve(frames.shift());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no frame within 10 s")), stepTimeout);
        waiters.push((text) => {
          clearTimeout(timer);
          resolve(text);
        });
      });
    },
    async take(count) {
      const taken = [];
      for (let i = 0; i < count; i++) taken.push(await this.next());
      return taken;
    },
  };
}

function opened(socket) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no open within 10 s")), stepTimeout);
    socket.addEventListener("open", () => {
      clearTimeout(timer);
      resolve();
    });
    socket.addEventListener("error", (event) => reject(new Error(`socket error: ${event.message ?? event}`)));
  });
}

const line = (message, id, to, total) => `[Durable Object] message: ${message}, from: ${id}, to: ${to}. Total connections: ${total}`;
const idOf = (text) => /from: ([0-9a-f-]{36}), to: /.exec(text)[1];

async function wsClient(path, perMessageDeflate) {
  const socket = new WebSocket(`${baseUrl}${path}`, { perMessageDeflate });
  socket.once("upgrade", (response) => (socket.answeredExtensions = response.headers["sec-websocket-extensions"]));
  await opened(socket);
  return queued(socket);
}

/** Sends from one client and checks the seed's frames, byte for byte, at the sender and at every other client. */
async function seedRound(message, sender, others, total) {
  sender.socket.send(message);
  const [echo, toAll] = await sender.take(2);
  const id = idOf(echo);
  assert.equal(echo, line(message, id, "the initiating client", total));
  assert.equal(toAll, line(message, id, "all clients", total));
  for (const other of others) {
    assert.deepEqual(await other.take(2), [line(message, id, "all clients", total), line(message, id, "all clients except the initiating client", total)]);
  }
  return id;
}

async function wsWithAndWithoutDeflate() {
  const deflating = await wsClient("/websocket", true);
  const plain = await wsClient("/websocket", false);
  assert.equal(deflating.socket.extensions, "permessage-deflate");
  assert.equal(deflating.socket.answeredExtensions, "permessage-deflate; server_no_context_takeover; client_no_context_takeover");
  assert.equal(plain.socket.extensions, "");
  assert.equal(plain.socket.answeredExtensions, undefined);

  await seedRound("hello", deflating, [plain], 2);
  await seedRound("x".repeat(4000) + " é ✓", deflating, [plain], 2); // over the threshold: compressed both ways
  await seedRound("from the plain one", plain, [deflating], 2);
  deflating.socket.send("ping");
  assert.equal(await deflating.next(), "pong");
  for (const client of [deflating, plain]) client.socket.close(1000);
  console.log("ws: seed frames exact with permessage-deflate on and off");
}

async function partySocketInTheSeedsRoom() {
  const party = new PartySocket({ host, room: "foo", id: "party-one", WebSocket, maxRetries: 0 }); // party "main"
  await opened(party);
  assert.ok(party.url.includes("/parties/main/foo?_pk=party-one"), party.url);
  const client = queued(party);
  const seedClient = await wsClient("/websocket", true);
  await seedRound("from partysocket", client, [seedClient], 2);
  await seedRound("from /websocket", seedClient, [client], 2);
  party.close();
  seedClient.socket.close(1000);
  console.log("partysocket: party main, room foo is the seed's room");
}

async function partySocketInTheChatRoom() {
  const room = `party-${Date.now()}`;
  const alice = new PartySocket({ host, party: "chat", room, query: { name: "alice" }, WebSocket, maxRetries: 0 });
  const aliceFrames = queued(alice);
  await opened(alice);
  const welcome = JSON.parse(await aliceFrames.next());
  assert.deepEqual(welcome, { type: "welcome", you: "alice", members: ["alice"], history: [] });

  const bob = new PartySocket({ host, party: "chat", room, query: { name: "bob" }, WebSocket, maxRetries: 0 });
  const bobFrames = queued(bob);
  await opened(bob);
  assert.equal(JSON.parse(await bobFrames.next()).type, "welcome");
  assert.deepEqual(JSON.parse(await aliceFrames.next()), { type: "join", name: "bob", members: ["alice", "bob"] });

  bob.send(JSON.stringify({ type: "say", text: "hi from partysocket" }));
  for (const frames of [aliceFrames, bobFrames]) {
    const message = JSON.parse(await frames.next());
    assert.equal(message.type, "message");
    assert.equal(message.line.text, "hi from partysocket");
    assert.equal(message.line.name, "bob");
  }
  alice.close();
  bob.close();
  console.log("partysocket: party chat is the chat room");
}

try {
  await wsWithAndWithoutDeflate();
  await partySocketInTheSeedsRoom();
  await partySocketInTheChatRoom();
  process.exit(0);
} catch (error) {
  console.error(error);
  process.exit(1);
}
