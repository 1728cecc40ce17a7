console.log('network.js ran');
