// The TCPConnection transport for bench/pages/workloads.js, run by switchboard-shell. bench/run
// concatenates workloads.js, this file and `runBench(switchboardTransport(BASE), CONFIG);`
// into one page and reads the BENCH- lines this prints.
"use strict";

// `ports` (optional): the server's ports for open()'s `destination`; a port other than base's
// is another origin, so those connections go to /access-control?allow=<*> (an /echo whose 101
// carries "Access-Control: allow <*>", spec §5).
function switchboardTransport(base, ports) {
  return {
    open(endpoint, query, handlers, destination) {
      let target = base + "/" + endpoint;
      const index = ports && destination ? destination % ports.length : 0;
      if (index !== 0) {
        if (endpoint !== "echo") throw new Error("only echo has several destinations");
        target = base.replace(/:\d+$/, ":" + ports[index]) + "/access-control";
        query = Object.assign({allow: encodeURIComponent("<*>")}, query);
      }
      const search = Object.keys(query).map((key) => key + "=" + query[key]).join("&");
      const connection = new TCPConnection(target + (search ? "?" + search : ""));
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
