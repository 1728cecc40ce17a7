// Loaded by url/script-src-as-browsers.html through URLs only the URL Standard reads this way.
console.log('resources/mark.js ran');
