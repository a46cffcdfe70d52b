/*
 * Lapor Portal embed: one line on a host page puts the portal there.
 *
 *   <script src="https://PORTAL/embed.js" async
 *           data-agency="kendal-dinkes" data-category="kesehatan"
 *           data-classification="complaint" data-locale="id" data-accent="#b45309"
 *           data-page="lapor" data-transparent="true"></script>
 *
 * data-page="laporan" opens the public reports list instead, filtered by data-status,
 * data-classification, data-category, data-agency, data-region and data-q (the list's own
 * query parameters, core/src/listing.rs).
 *
 * The iframe grows and shrinks with its content. Height messages are accepted only from the
 * portal's origin and from this iframe; the portal posts only to this page's origin.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !script.src) return;
  var portal = new URL('.', script.src); // the folder embed.js is served from
  var data = script.dataset;
  var page = /^[a-z-]*$/.test(data.page || '') ? data.page || 'lapor' : 'lapor';
  var src = new URL(page, portal);
  src.searchParams.set('embed', '1');
  src.searchParams.set('parent', window.location.origin);
  ['agency', 'category', 'classification', 'status', 'region', 'q', 'locale', 'accent'].forEach(function (name) {
    if (data[name]) src.searchParams.set(name, data[name]);
  });
  if (data.transparent === 'true') src.searchParams.set('transparent', '1');

  var frame = document.createElement('iframe');
  frame.src = src.href;
  frame.title = data.title || 'Lapor: layanan pengaduan';
  frame.setAttribute('allow', 'geolocation ' + portal.origin);
  frame.setAttribute('loading', 'lazy');
  frame.style.cssText = 'width:100%;border:0;min-height:480px;display:block;';
  if (data.transparent === 'true') frame.setAttribute('allowtransparency', 'true');
  script.parentNode.insertBefore(frame, script.nextSibling);

  window.addEventListener('message', function (event) {
    if (event.origin !== portal.origin || event.source !== frame.contentWindow) return;
    var message = event.data;
    if (!message || message.type !== 'lapor:height') return;
    var height = Number(message.height);
    if (isFinite(height) && height > 0 && height < 100000) {
      frame.style.minHeight = '0';
      frame.style.height = Math.ceil(height) + 'px';
    }
  });
})();
