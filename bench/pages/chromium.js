// The WebSocket transport for bench/pages/workloads.js, run by headless Chromium on a page
// that bench/run serves (it sets BENCH_CONFIG and loads workloads.js and this file). The
// result goes back to bench/run with a POST to its own HTTP server.
"use strict";

function chromiumTransport(base, resultUrl, ports) {
  const paths = {echo: "/ws-echo", push: "/ws-push"};
  return {
    open(endpoint, query, handlers, destination) {
      const search = new URLSearchParams(query).toString();
      const host = ports && destination ? base.replace(/:\d+$/, ":" + ports[destination % ports.length]) : base;
      const socket = new WebSocket(host + paths[endpoint] + (search ? "?" + search : ""));
      socket.onopen = () => handlers.onopen();
      socket.onmessage = (event) => handlers.onmessage(event.data);
      socket.onclose = () => handlers.onclose();
      return {
        send: (text) => socket.send(text),
        close: () => socket.close(),
      };
    },
    report(result) {
      fetch(resultUrl, {method: "POST", mode: "no-cors", body: JSON.stringify(result)});
    },
    mark(name) {
      fetch(resultUrl + "?mark=" + encodeURIComponent(name), {method: "POST", mode: "no-cors"});
    },
    now: () => performance.now(),
  };
}

runBench(chromiumTransport(BENCH_CONFIG.base, BENCH_CONFIG.resultUrl, BENCH_CONFIG.ports), BENCH_CONFIG);
