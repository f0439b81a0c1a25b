// SecureCam viewer page. Served as a file (never inline) so the Content-Security-Policy can forbid
// inline script. Works without any framework on Chrome, Firefox and Safari (iOS).
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);

  function text(id, value) {
    $(id).textContent = value;
  }

  function duration(seconds) {
    const s = Math.floor(seconds);
    const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    return (d ? d + 'd ' : '') + (h ? h + 'h ' : '') + m + 'm ' + (s % 60) + 's';
  }

  async function refreshStatus() {
    try {
      const response = await fetch('/api/status', { cache: 'no-store' });
      if (!response.ok) {
        text('state', 'status unavailable (' + response.status + ')');
        return;
      }
      const s = await response.json();
      text('state', s.camera.state + ' · ' + s.camera.source + (s.camera.width ? ' · ' + s.camera.width + '×' + s.camera.height : ''));
      text('captured', s.camera.capturedFps.toFixed(1) + ' fps');
      text('served', s.servedFps.toFixed(1) + ' frames/s to all viewers');
      text('viewers', String(s.viewers));
      text('uptime', duration(s.uptimeSeconds));
      text('server-cert', 'valid for ' + Math.floor(s.serverCertificate.daysLeft) + ' more days');
      showTelemetry(s.telemetry);
    } catch (e) {
      text('state', 'server unreachable');
    }
  }

  // Encryption-only must never look like verified: a different mark, colour and wording for each.
  function showTelemetry(t) {
    const dd = $('telemetry');
    dd.classList.remove('telemetry-verified', 'telemetry-unverified', 'telemetry-down', 'telemetry-off');
    if (!t || !t.enabled) {
      dd.classList.add('telemetry-off');
      dd.textContent = 'off';
      return;
    }
    // Three looks: NOT verified (warning), verified and up (check mark), verified mode without a verified peer (cross).
    const look = t.mode !== 'verified' ? ['telemetry-unverified', '\u26A0 ']
      : (t.peerVerified && t.connected ? ['telemetry-verified', '\u2713 '] : ['telemetry-down', '\u2717 ']);
    dd.classList.add(look[0]);
    const parts = [look[1] + t.summary,
      t.connected ? 'connected' : 'not connected',
      t.sent + ' sent', t.dropped + ' dropped'];
    if (t.lastError) {
      parts.push('last error: ' + t.lastError);
    }
    dd.textContent = parts.join(' \u00B7 ');
  }

  function reconnect() {
    // A fresh URL makes every browser open a new stream instead of showing the dead one.
    $('stream').src = '/video?t=' + Date.now();
    $('reconnect').hidden = true;
  }

  async function takeSnapshot() {
    const button = $('snapshot');
    button.disabled = true;
    try {
      const response = await fetch('/snapshot', { cache: 'no-store' });
      if (!response.ok) {
        text('snapshot-caption', 'Snapshot failed (' + response.status + ')');
        $('snapshot-figure').hidden = false;
        return;
      }
      const blob = await response.blob();
      const image = $('snapshot-image');
      if (image.src.startsWith('blob:')) {
        URL.revokeObjectURL(image.src);
      }
      image.src = URL.createObjectURL(blob);
      text('snapshot-caption', 'Snapshot taken ' + new Date().toLocaleTimeString());
      $('snapshot-figure').hidden = false;
    } finally {
      button.disabled = false;
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('snapshot').addEventListener('click', takeSnapshot);
    $('reconnect').addEventListener('click', reconnect);
    $('stream').addEventListener('error', function () { $('reconnect').hidden = false; });
    refreshStatus();
    setInterval(refreshStatus, 2000);
  });
})();
