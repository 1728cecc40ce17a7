#!/usr/bin/env node
// The Node.js client of bench/run: bench/pages/workloads.js over the `ws` npm package against
// the reference server's /ws-echo and /ws-push. Usage: node_ws.js CONFIG_JSON (as the pages
// get it); prints the same BENCH- lines as switchboard-shell does.
"use strict";

const path = require("node:path");
const WebSocket = require(require.resolve("ws", {paths: [path.join(__dirname, "..", "..")]}));
const {runBench} = require("../pages/workloads.js");

const config = JSON.parse(process.argv[2]);
const paths = {echo: "/ws-echo", push: "/ws-push"};

const transport = {
  open(endpoint, query, handlers, destination) {
    const search = new URLSearchParams(query).toString();
    const ports = config.ports;
    const base = ports && destination ? config.base.replace(/:\d+$/, ":" + ports[destination % ports.length]) : config.base;
    const socket = new WebSocket(base + paths[endpoint] + (search ? "?" + search : ""), {
      perMessageDeflate: false,
    });
    socket.on("open", () => handlers.onopen());
    // Text messages arrive as Buffers; script gets a string, as in a browser.
    socket.on("message", (data, isBinary) => handlers.onmessage(isBinary ? data : data.toString()));
    socket.on("close", () => handlers.onclose());
    socket.on("error", () => {});
    return {
      send: (text) => socket.send(text),
      close: () => socket.close(),
    };
  },
  report(result) {
    console.log("BENCH-RESULT " + JSON.stringify(result));
  },
  mark(name) {
    console.log("BENCH-MARK " + name);
  },
  now: () => performance.now(),
};

runBench(transport, config);
