// The TCPConnection transport for bench/pages/workloads.js, run by switchboard-shell. bench/run
// concatenates workloads.js, this file and `runBench(switchboardTransport(BASE), CONFIG);`
// into one page and reads the BENCH- lines this prints.
"use strict";

function switchboardTransport(base) {
  return {
    open(endpoint, query, handlers) {
      const search = Object.keys(query).map((key) => key + "=" + query[key]).join("&");
      const connection = new TCPConnection(base + "/" + endpoint + (search ? "?" + search : ""));
      connection.onopen = () => handlers.onopen();
      connection.onread = (event) => handlers.onmessage(event.data);
      connection.onclose = () => handlers.onclose();
      return {
        send: (text) => connection.send(text),
        close: () => connection.disconnect(),
      };
    },
    report(result) {
      console.log("BENCH-RESULT " + JSON.stringify(result));
    },
    mark(name) {
      console.log("BENCH-MARK " + name);
    },
    now: () => Date.now(),
  };
}
