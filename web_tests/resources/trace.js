// trace(url[, {init, send, reads}]): opens `new TCPConnection(url[, init])`, sends each string of
// `send` once it is open, disconnects after `reads` frames (default: as many as it sent; 0:
// right after open), and resolves when it closes to
//   {events: 'open (secure S), read, …, close' | 'error, close', received: [frame data…],
//    secureAtStart, secureWhenOpen}
// Script never learns why a connection failed; the console line of spec §7 says it.
function trace(url, {init, send = [], reads = send.length} = {}) {
  return new Promise((resolve) => {
    const connection = init === undefined ? new TCPConnection(url) : new TCPConnection(url, init);
    const events = [];
    const received = [];
    const result = {events: '', received, secureAtStart: connection.secure, secureWhenOpen: null};
    connection.onopen = () => {
      result.secureWhenOpen = connection.secure;
      events.push(`open (secure ${connection.secure})`);
      for (const text of send) connection.send(text);
      if (reads === 0) connection.disconnect();
    };
    connection.onread = (event) => {
      received.push(event.data);
      events.push('read');
      if (received.length === reads) connection.disconnect();
    };
    connection.onerror = () => events.push('error');
    connection.onclose = () => {
      events.push('close');
      result.events = events.join(', ');
      resolve(result);
    };
  });
}

// The request head a /echo-headers handler received (its first frame), as one JSON string line.
async function requestHeadSeenBy(url, options = {}) {
  const {events, received} = await trace(url, {...options, reads: 1});
  return received.length === 1 ? JSON.stringify(received[0]) : `no request head (${events})`;
}
