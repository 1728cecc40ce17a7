// Platform objects print their IDL attributes, as Chrome's console shows them (issue 17):
// TCPConnection, its events, URL; a failing connection's spec §7 line goes to stderr, in order.
// Ports read PORT (the runner normalises them); an event's timeStamp is fixed by an own
// property (it varies from run to run; own properties come first). Events are printed with
// depth 0, so that their target, srcElement and currentTarget read [TCPConnection].
const stamp = (event) => Object.defineProperty(event, 'timeStamp', {value: 0, enumerable: true});

console.log(new URL('http://user@example.test:8080/x?y=1#z'));
const connection = new TCPConnection('/echo');
console.log('before open:', connection);
connection.onopen = (event) => {
  console.dir(stamp(event), {depth: 0});
  console.dir(connection, {depth: 0});
  connection.send('hello');
};
connection.onread = (event) => {
  console.dir(stamp(event), {depth: 0});
  connection.disconnect();
};
connection.onclose = (event) => {
  console.dir(stamp(event), {depth: 0});
  console.log('closed:', connection);
  const failing = new TCPConnection(`http://127.0.0.1:${location.port}/no-such-handler`);
  failing.onerror = (error) => console.log('error event:', error.type);
  failing.onclose = () => console.log('after the failure line:', failing.readyState);
};
