#!/usr/bin/env node
// A stand-in for tinyproxy in the runner's own tests: reads "Port N" from the configuration file
// given with -c, listens there, and appends its pid to $FAKE_PROXY_PID_FILE. Runs until killed.
'use strict';

const fs = require('node:fs');
const net = require('node:net');

const config = fs.readFileSync(process.argv[process.argv.indexOf('-c') + 1], 'utf8');
const port = Number(/^Port (\d+)$/m.exec(config)[1]);
net.createServer((socket) => socket.destroy()).listen(port, '127.0.0.1', () => {
  if (process.env.FAKE_PROXY_PID_FILE) fs.appendFileSync(process.env.FAKE_PROXY_PID_FILE, `${process.pid}\n`);
});
