// The load run's same-run peer: the token route of VideoSDK's official Node example token server
// (github.com/videosdk-live/videosdk-rtc-api-server-examples, nodejs/server.js at commit 5dd21b2, 2024-01-08),
// written again here from its behaviour, with the same libraries at the same major versions (package.json), the same
// middleware in the same order, the same claims and the same signing call, so its cold start and steady state are
// what a user who deploys that example gets. Differences, both for the load run only: it listens on loopback on the
// port PORT names (0: one the OS picks, printed on the ready line) instead of a fixed 9000 on every interface, and
// it does not serve the example's two room routes (they forward the caller's token to VideoSDK's REST API).
//
// What it does not do, as the example does not: authenticate the caller, apply any policy (every caller gets
// allow_join and allow_mod, for any room and participant it names), limit rates, or keep the secret anywhere but
// the process environment.
require("dotenv").config();

const express = require("express");
const cors = require("cors");
const morgan = require("morgan");
const jwt = require("jsonwebtoken");
// Loaded at start as the example loads it (its room routes call VideoSDK with it): part of its cold start.
require("node-fetch");

const server = express();
server.use(cors());
server.use(express.json());
server.use(express.urlencoded({ extended: true }));
// One log line per request on stdout, as the example writes them.
server.use(morgan("dev"));

server.get("/", (request, response) => response.send("Hello World!"));

// A token for whoever asks: the project's key, join and moderate; bound to a room and participant only when the
// caller names them (in the request body, even on this GET), and then marked version 2 for the meeting role only.
server.get("/get-token", (request, response) => {
  const claims = { apikey: process.env.VIDEOSDK_API_KEY, permissions: ["allow_join", "allow_mod"] };
  const { roomId, peerId } = request.body;
  if (roomId || peerId) {
    Object.assign(claims, { version: 2, roles: ["rtc"] });
  }
  if (roomId) {
    claims.roomId = roomId;
  }
  if (peerId) {
    claims.participantId = peerId;
  }

  const token = jwt.sign(claims, process.env.VIDEOSDK_SECRET_KEY, { expiresIn: "10m", algorithm: "HS256" });
  response.json({ token });
});

const listener = server.listen(Number(process.env.PORT ?? 9000), "127.0.0.1", () => {
  console.log(`API server listening at http://127.0.0.1:${listener.address().port}`);
});
