// sendThenDisconnect(url): opens `url`, and once open send()s 8 MiB and calls disconnect() at
// once; resolves with the events ("open, close") when `close` fires. For spec §7's hostile
// peers: /never-read?then=reset resets while the bytes are still being written (without the
// IO thread's signal mask libuv's write() would raise SIGPIPE and end the shell), and
// /never-read?then=stay never reads them, so `close` comes at the linger limit. Either way the
// console gets one line: "… failed: disconnect: N bytes were not delivered: <why>".
function sendThenDisconnect(url) {
  return new Promise((resolve) => {
    const connection = new TCPConnection(url);
    const events = [];
    connection.onopen = () => {
      events.push('open');
      connection.send('x'.repeat(8 * 1024 * 1024));
      connection.disconnect();
    };
    connection.onerror = () => events.push('error');
    connection.onclose = () => {
      events.push('close');
      resolve(events.join(', '));
    };
  });
}
