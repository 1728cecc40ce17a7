// The workloads of bench/run, written once for every JavaScript client. A client supplies a
// transport (bench/pages/switchboard.js: TCPConnection in switchboard-shell; chromium.js:
// WebSocket in headless Chromium; bench/clients/node_ws.js: the `ws` package in Node.js):
//
//   transport.open(endpoint, query, handlers[, destination]) -> { send(text), close() }
//       endpoint "echo" or "push"; handlers { onopen(), onmessage(text), onclose() };
//       destination i picks the server port config.ports[i % config.ports.length] (scale at
//       100,000 connections needs several: one address:port gives ~28,000 ephemeral ports)
//   transport.report(result)   hands one JSON-able result to the harness (once, at the end)
//   transport.mark(name)       tells the harness to sample this process's memory (and, for
//                              "cpu-start"/"cpu-end", its CPU time) now
//   transport.now()            milliseconds
//
// The clock starts at the first `open` and every result has `value` (the table's number).
"use strict";

// Marks `name` and stays idle for 250 ms, so that the harness samples this process (its CPU
// time for ping-pong and many) while it does no work, then calls `then`.
function markAndPause(transport, name, then) {
  transport.mark(name);
  setTimeout(then, 250);
}

function benchPingPong(transport, config) {
  const message = "x".repeat(config.size);
  let roundTrips = 0;
  let start = 0;
  let finished = false;
  // ?rtt=TAG: the server keeps this connection's round-trip times (RTT-STATS, bench/README.md).
  const connection = transport.open("echo", config.rttTag ? {rtt: config.rttTag} : {}, {
    onopen() {
      markAndPause(transport, "cpu-start", () => {
        start = transport.now();
        connection.send(message);
      });
    },
    onmessage() {
      if (finished) return;
      ++roundTrips;
      // The clock is read every 64 round trips: reading it costs as much as a round trip here.
      if (roundTrips % 64 === 0) {
        const seconds = (transport.now() - start) / 1000;
        if (seconds >= config.seconds) {
          finished = true;
          markAndPause(transport, "cpu-end", () => {
            connection.close();
            transport.report({round_trips: roundTrips, seconds, value: roundTrips / seconds});
          });
          return;
        }
      }
      connection.send(message);
    },
    onclose() {
      if (!finished) transport.report({error: "closed after " + roundTrips + " round trips"});
    },
  });
}

function benchStream(transport, config) {
  let bytes = 0;
  let messages = 0;
  let start = 0;
  let finished = false;
  const connection = transport.open("push", {count: 100000000, size: config.size}, {
    onopen() {
      start = transport.now();
    },
    onmessage(text) {
      if (finished) return;
      bytes += text.length;  // ASCII payload: characters are bytes
      ++messages;
      const seconds = (transport.now() - start) / 1000;
      if (seconds >= config.seconds) {
        finished = true;
        connection.close();
        transport.report({messages, bytes, seconds, value: bytes / seconds / 1e6});
      }
    },
    onclose() {
      if (!finished) transport.report({error: "closed after " + messages + " messages"});
    },
  });
}

// Open, handshake, close; `concurrency` connections in flight until the time is up.
function benchSetUp(transport, config) {
  let completed = 0;
  let inFlight = 0;
  let start = 0;
  let reported = false;
  function finish() {
    if (reported) return;
    reported = true;
    const seconds = (transport.now() - start) / 1000;
    transport.report({connections: completed, seconds, value: completed / seconds});
  }
  function openOne() {
    ++inFlight;
    let opened = false;
    const connection = transport.open("echo", {}, {
      onopen() {
        opened = true;
        connection.close();
      },
      onmessage() {},
      onclose() {
        --inFlight;
        if (!opened) {
          if (!reported) transport.report({error: "a connection failed after " + completed});
          reported = true;
          return;
        }
        ++completed;
        if ((transport.now() - start) / 1000 < config.seconds) {
          openOne();
        } else if (inFlight === 0) {
          finish();
        }
      },
    });
  }
  start = transport.now();
  for (let index = 0; index < config.concurrency; ++index) openOne();
}

// `count` connections open at once, then each sends a `size`-byte message and its next one
// when it reads the echo, for `seconds`: total round trips per second. Echoes still in flight
// at the end are read but not counted.
function benchMany(transport, config) {
  const message = "x".repeat(config.size);
  const connections = [];
  let open = 0;
  let roundTrips = 0;
  let nextCheck = 64;
  let start = 0;
  let finished = false;
  let reported = false;
  function fail(error) {
    if (reported) return;
    reported = true;
    transport.report({error});
  }
  function begin() {
    markAndPause(transport, "cpu-start", () => {
      start = transport.now();
      for (const connection of connections) connection.send(message);
    });
  }
  function onMessage(connection) {
    if (finished) return;
    ++roundTrips;
    if (roundTrips >= nextCheck) {
      nextCheck = roundTrips + 64;
      const seconds = (transport.now() - start) / 1000;
      if (seconds >= config.seconds) {
        finished = true;
        markAndPause(transport, "cpu-end", () => {
          reported = true;
          for (const each of connections) each.close();
          transport.report({connections: config.count, round_trips: roundTrips, seconds,
                            value: roundTrips / seconds});
        });
        return;
      }
    }
    connection.send(message);
  }
  for (let index = 0; index < config.count; ++index) {
    const connection = transport.open("echo", {}, {
      onopen() {
        if (++open === config.count) begin();
      },
      onmessage() {
        onMessage(connection);
      },
      onclose() {
        if (!finished) fail("connection " + index + " closed after " + roundTrips + " round trips in all");
      },
    }, index);
    connections.push(connection);
  }
}

// N idle connections: one first (so the network stack is warm), a memory sample, the other
// N - 1 at once, the time until all are open, another sample, then all closed.
function benchScale(transport, config) {
  const connections = [];
  let open = 0;
  let closed = 0;
  let start = 0;
  let seconds = 0;
  function onAllOpen() {
    seconds = (transport.now() - start) / 1000;
    transport.mark("opened");
    setTimeout(() => {
      for (const connection of connections) connection.close();
    }, 1000);
  }
  function openOne(onopen) {
    let opened = false;
    const destination = connections.length;
    const connection = transport.open("echo", {}, {
      onopen() {
        opened = true;
        ++open;
        onopen();
      },
      onmessage() {},
      onclose() {
        ++closed;
        if (!opened) {
          transport.report({error: "connection " + connections.indexOf(connection) + " failed"});
          return;
        }
        if (closed === config.count) transport.report({connections: open, seconds, value: seconds});
      },
    }, destination);
    connections.push(connection);
  }
  openOne(() => {
    transport.mark("baseline");
    setTimeout(() => {
      start = transport.now();
      for (let index = 1; index < config.count; ++index) {
        openOne(() => {
          if (open === config.count) onAllOpen();
        });
      }
    }, 500);
  });
}

const benchWorkloads = {
  pingpong: benchPingPong,
  stream: benchStream,
  setup: benchSetUp,
  scale: benchScale,
  many: benchMany,
};

function runBench(transport, config) {
  const workload = benchWorkloads[config.workload];
  if (!workload) {
    transport.report({error: "unknown workload " + config.workload});
    return;
  }
  workload(transport, config);
}

if (typeof module !== "undefined") module.exports = {runBench};
