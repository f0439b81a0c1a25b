#!/usr/bin/env bash
# The Native AOT build against the JIT build, A B A B: idle RSS, process start to the first snapshot, and
# RSS, fps, delay and CPU with 200 viewers. A benchmark, not a test: run it on a quiet machine.
#   tools/bench/aot.sh        (ROUNDS=2 STARTUP_RUNS=5 SETTLE=5 VIEWERS=200 VIEW_SECONDS=15)
# SETTLE: seconds after the first snapshot before RSS is read; with SETTLE=15 the camera has stopped (its idle
# grace is 10 s) and the RSS is the idle server's. VIEWERS=0 skips the viewer runs. BUILDS="aot" skips the JIT
# build; AOT=PATH measures another native binary (e.g. one published from an older commit).
# Needs: `dotnet build SecureCam.sln -c Release` and `tools/packaging/publish.sh linux-x64` done first.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ROUNDS=${ROUNDS:-2} STARTUP_RUNS=${STARTUP_RUNS:-5} SETTLE=${SETTLE:-5} VIEWERS=${VIEWERS:-200} VIEW_SECONDS=${VIEW_SECONDS:-15}
WORK=$(mktemp -d /tmp/securecam-aot-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
AOT=${AOT:-$ROOT/artifacts/publish/linux-x64/securecam} BUILDS=${BUILDS:-jit aot}
JIT=(dotnet "$ROOT/src/SecureCam.Server/bin/Release/net10.0/securecam.dll")
BENCH=(dotnet "$ROOT/tools/SecureCam.Bench/bin/Release/net10.0/securecam-bench.dll")
PKI=(dotnet "$ROOT/tools/SecureCam.PkiTool/bin/Release/net10.0/securecam-pki.dll" --pki "$WORK/pki")
[[ -x $AOT ]] || { echo "aot.sh: $AOT missing: run tools/packaging/publish.sh linux-x64" >&2; exit 2; }
"${PKI[@]}" init --no-passphrase >/dev/null
"${PKI[@]}" issue-server server --dns localhost --ip 127.0.0.1 >/dev/null
# One certificate may hold a few streams (Server:MaxStreamsPerCertificate): the viewers take four identities in
# turn and the per-certificate and per-address limits are raised for the run (every client is 127.0.0.1).
client=(--ca "$WORK/pki/ca.crt")
for i in 1 2 3 4; do
  "${PKI[@]}" issue-client "viewer-$i" --p12-password bench >/dev/null
  client+=(--cert "$WORK/pki/issued/viewer-$i/cert.pem" --key "$WORK/pki/issued/viewer-$i/key.pem")
done
export SECURECAM__SERVER__MAXSTREAMSPERCERTIFICATE=100 SECURECAM__SERVER__MAXCONNECTIONSPERCERTIFICATE=1000 SECURECAM__SERVER__MAXCONNECTIONSPERADDRESS=1000
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
serve=(serve --pki "$WORK/pki" --listen "https://127.0.0.1:$port" --camera synthetic)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$ROUNDS"); do
  for build in $BUILDS; do
    if [[ $build == aot ]]; then cmd=("$AOT"); else cmd=("${JIT[@]}"); fi
    echo "== round $round: $build startup"
    "${BENCH[@]}" startup --url "https://127.0.0.1:$port/snapshot" "${client[@]}" --runs "$STARTUP_RUNS" --settle "$SETTLE" -- "${cmd[@]}" "${serve[@]}"
    ((VIEWERS > 0)) || continue
    echo "== round $round: $build $VIEWERS viewers"
    "${cmd[@]}" "${serve[@]}" >"$WORK/server.log" 2>&1 &
    pid=$!
    # Ready when /healthz answers (at most 60 s).
    for _ in $(seq 600); do
      curl -sf -o /dev/null --cacert "$WORK/pki/ca.crt" --cert "$WORK/pki/issued/viewer-1/cert.pem" --key "$WORK/pki/issued/viewer-1/key.pem" \
        "https://127.0.0.1:$port/healthz" && break
      sleep 0.1
    done
    "${BENCH[@]}" viewers --url "https://127.0.0.1:$port/video" "${client[@]}" --viewers "$VIEWERS" --seconds "$VIEW_SECONDS" --warmup 3 --server-pid "$pid"
    kill -TERM "$pid"; wait "$pid" || true   # TERM: a background job of a script ignores SIGINT
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
