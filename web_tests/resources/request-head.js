// Lines of the request head this page's own <script src="/headers.js"> load arrived with
// (`requestHead`, set by that script), for tests of how page and script loads travel.
function requestHeadLines(pattern) {
  if (typeof requestHead !== 'string') return ['(no /headers.js)'];
  return requestHead.split('\r\n').filter((line) => pattern.test(line));
}
