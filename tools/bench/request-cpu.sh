#!/usr/bin/env bash
# Server CPU per authenticated request on one kept-alive connection: what the per-request client-certificate
# check costs (GET /healthz does nothing else). Reads the server's utime+stime from /proc before and after
# curl sends N requests over one HTTP/1.1 connection and then over one HTTP/2 connection.
#
# Usage: tools/bench/request-cpu.sh [SECURECAM_DLL...]   (default: this tree's Release build)
#   Several builds are measured in turn, A B A B (ROUNDS times), for a before/after comparison, e.g. the
#   commit before a change built in another worktree:
#     git worktree add /tmp/before <commit> && dotnet build /tmp/before/src/SecureCam.Server -c Release
#     tools/bench/request-cpu.sh /tmp/before/src/SecureCam.Server/bin/Release/net10.0/securecam.dll \
#                                src/SecureCam.Server/bin/Release/net10.0/securecam.dll
# Knobs (environment): REQUESTS=5000 WARMUP=1000 ROUNDS=3. Needs curl and a Release build of securecam-pki.
# Only meaningful on a quiet machine: /proc counts in clock ticks, and neighbours' load inflates them.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
REQUESTS=${REQUESTS:-5000}
WARMUP=${WARMUP:-1000}
ROUNDS=${ROUNDS:-3}
DLLS=("$@")
[[ ${#DLLS[@]} -gt 0 ]] || DLLS=("$ROOT/src/SecureCam.Server/bin/Release/net10.0/securecam.dll")
PKI_DLL=$ROOT/tools/SecureCam.PkiTool/bin/Release/net10.0/securecam-pki.dll
[[ -f $PKI_DLL ]] || { echo "request-cpu: build tools/SecureCam.PkiTool -c Release first" >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

WORK=$(mktemp -d /tmp/securecam-request-cpu.XXXXXX)
SERVER_PID=
cleanup() { [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

PKI=(dotnet "$PKI_DLL" --pki "$WORK/pki")
"${PKI[@]}" init --no-passphrase --name "SecureCam Request CPU CA" >/dev/null
"${PKI[@]}" issue-server server --dns localhost --ip 127.0.0.1 >/dev/null
"${PKI[@]}" issue-client bench --p12-password bench-unused >/dev/null
PORT=18643
while ss -Htln "sport = :$PORT" | grep -q .; do PORT=$((PORT + 1)); done
URL=https://127.0.0.1:$PORT/healthz
CURL=(curl -sS --fail --cacert "$WORK/pki/ca.crt" --cert "$WORK/pki/issued/bench/cert.pem" --key "$WORK/pki/issued/bench/key.pem")
TICK=$(getconf CLK_TCK)

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
urls() { local i; for ((i = 0; i < $1; i++)); do printf '%s\n' "url = \"$URL\"" "output = \"/dev/null\""; done; }
urls "$WARMUP" >"$WORK/warmup.cfg"
urls "$REQUESTS" >"$WORK/measure.cfg"

measure() { # protocol-flag → µs of server CPU per request
  local before after connects
  "${CURL[@]}" "$1" -K "$WORK/warmup.cfg"
  before=$(cpu_ticks "$SERVER_PID")
  connects=$("${CURL[@]}" "$1" -w '%{num_connects}\n' -K "$WORK/measure.cfg" | awk '{ n += $1 } END { print n }')
  after=$(cpu_ticks "$SERVER_PID")
  # One connection for all of them, or the figure would include handshakes.
  [[ $connects == 1 ]] || { echo "request-cpu: curl opened $connects connections, not 1" >&2; exit 1; }
  echo $(( (after - before) * 1000000 / TICK / REQUESTS ))
}

printf '%-6s %-8s %-14s %s\n' round proto "µs CPU/request" build
for ((round = 1; round <= ROUNDS; round++)); do
  for dll in "${DLLS[@]}"; do
    dotnet "$dll" serve --pki "$WORK/pki" --listen "https://127.0.0.1:$PORT" --camera synthetic >"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 100); do "${CURL[@]}" -o /dev/null "$URL" 2>/dev/null && break; sleep 0.2; done
    for proto in --http1.1 --http2; do
      printf '%-6s %-8s %-14s %s\n' "$round" "${proto#--}" "$(measure "$proto")" "$dll"
    done
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
  done
done
