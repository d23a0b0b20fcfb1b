"use strict";
// The chat demo's client: one WebSocket to /parties/chat/{room}?name=..., subprotocol chat.v1, JSON frames (see ChatFrames.cs).
const $ = (id) => document.getElementById(id);
let socket = null;

function addLine(className, parts) {
  const item = document.createElement("li");
  item.className = className;
  for (const [partClass, text] of parts) {
    const span = document.createElement("span");
    span.className = partClass;
    span.textContent = text;
    item.appendChild(span);
  }
  $("log").appendChild(item);
  $("log").scrollTop = $("log").scrollHeight;
}

function showLine(line) {
  const time = new Date(line.at).toLocaleTimeString();
  addLine("line", [["time", time], ["name", line.name], ["text", line.text]]);
}

function showMembers(members) {
  $("members").replaceChildren(...members.map((name) => {
    const item = document.createElement("li");
    item.textContent = name;
    return item;
  }));
}

function setConnected(connected, status) {
  $("message").disabled = !connected;
  $("send").disabled = !connected;
  $("status").textContent = status;
}

function onFrame(frame) {
  switch (frame.type) {
    case "welcome":
      frame.history.forEach(showLine);
      showMembers(frame.members);
      setConnected(true, `Connected as ${frame.you}`);
      break;
    case "join":
      addLine("event", [["text", `${frame.name} joined`]]);
      showMembers(frame.members);
      break;
    case "leave":
      addLine("event", [["text", `${frame.name} left`]]);
      showMembers(frame.members);
      break;
    case "message":
      showLine(frame.line);
      break;
    case "error":
      addLine("error", [["text", frame.reason]]);
      break;
  }
}

$("join-form").addEventListener("submit", (event) => {
  event.preventDefault();
  if (socket) socket.close(1000, "Joining another room");
  $("log").replaceChildren();
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const room = encodeURIComponent($("room").value.trim());
  const name = encodeURIComponent($("name").value.trim());
  const ws = new WebSocket(`${scheme}://${location.host}/parties/chat/${room}?name=${name}`, ["chat.v1"]);
  socket = ws;
  setConnected(false, "Connecting...");
  ws.addEventListener("message", (message) => onFrame(JSON.parse(message.data)));
  ws.addEventListener("close", (close) => {
    if (socket !== ws) return;
    setConnected(false, `Disconnected (${close.code}${close.reason ? ": " + close.reason : ""})`);
  });
});

$("say-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("message").value;
  if (!socket || text.trim() === "") return;
  socket.send(JSON.stringify({ type: "say", text }));
  $("message").value = "";
});
