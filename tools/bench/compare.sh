#!/usr/bin/env bash
# SecureCam against nginx, side by side, on loopback, with the same certificates and the same client.
#
# nginx (Debian nginx-light) is set up the way people put a camera behind client certificates today:
# `ssl_verify_client on` with our CA, /snapshot served as a static file holding the very bytes
# SecureCam serves, and /video proxied (`proxy_buffering off`) to a plain-HTTP MJPEG streamer
# (`securecam-bench mjpeg-upstream --camera synthetic`: SecureCam's own camera pipeline, because
# SecureCam's plain-HTTP listener only redirects). Each workload then runs against nginx and against
# SecureCam in turn, A B A B, and the medians, spreads and ratios go into docs/benchmarks.md under
# "## SecureCam vs nginx".
#
# The stime workload measures new connections with a client that costs little itself: several
# `openssl s_time -new -www /snapshot` processes at once (every connection a full mutual-TLS handshake,
# then the snapshot read to the end), the servers pinned to SERVER_CPUS and the clients to CLIENT_CPUS
# (taskset) so neither steals from the other, server CPU per connection from /proc/PID/stat. It runs
# nginx, SecureCam with its synthetic camera (which encodes JPEG in-process while snapshots are asked
# for) and a second SecureCam whose `pipe:` camera replays an MJPEG file made of the very snapshot nginx
# serves (ffmpeg -c copy, on the client's CPUs): the difference between the two SecureCams is the
# encoder, the pipe one against nginx is the connection alone.
#
# The capacity workload (not in the default set) finds how many 720p30 viewers each server keeps at a
# median of CAP_FPS (29) fps or more with the server pinned to SERVER_CPUS and the viewers client to
# CLIENT_CPUS: nginx, its worker processes AND its upstream streamer share SecureCam's pinned CPUs. Per
# server a bisection over CAP_MIN..CAP_MAX in CAP_STEP steps, at most CAP_PROBES probes, each a fresh set
# of viewers (CAP_WARMUP s, then CAP_SECONDS s measured); a probe of nginx, then one of SecureCam, in turn.
# A failing probe in which the client used CAP_CLIENT_BUSY % of its CPUs or more is marked client-bound:
# the figure is then the client's limit, not the server's.
#
# The ciphers workload (not in the default set) measures the stream's server CPU per delivered frame for
# each cipher suite the server can be made to use: Server:CipherPreference=aes with the client's default
# offer (AES-128-GCM), the same server with the client offering AES-256-GCM only (the suite SecureCam
# preferred before its cipher order changed; --cipher-suites), and Server:CipherPreference=chacha20
# (ChaCha20-Poly1305). CIPHER_VIEWERS viewers for CIPHER_SECONDS s, A B C A B C, ROUNDS rounds, servers
# pinned as above; the camera (CIPHER_CAMERA=pipe) replays a JPEG without encoding, so the figure is the
# sending. The negotiated suite is read from the bench's own connections and checked with openssl s_client.
#
# Usage: tools/bench/compare.sh            (about 7 minutes with the defaults)
#   WORKLOADS=capacity tools/bench/compare.sh   (about 5 minutes)
#   WORKLOADS=ciphers tools/bench/compare.sh    (about 3 minutes)
# Knobs (environment): VIEWERS=200 VIEW_SECONDS=15 HS_SECONDS=10 HS_CONCURRENCY=8 ROUNDS=2
#   STARTUP_RUNS=5 WARMUP_SECONDS=10 WRITE_DOCS=1 KEEP_WORK=0
#   STIME_SECONDS=10 STIME_CLIENTS=4 SERVER_CPUS=0 CLIENT_CPUS=1-(last)
#   CAP_MIN=10 CAP_MAX=400 CAP_STEP=10 CAP_PROBES=6 CAP_SECONDS=8 CAP_WARMUP=3 CAP_FPS=29 CAP_ROUNDS=1
#   CAP_CLIENT_BUSY=90 CAP_CIPHER_SUITES=TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,TLS_CHACHA20_POLY1305_SHA256
#   (a browser's TLS 1.3 order, offered to both servers; empty: the .NET client's default, AES-256-GCM first)
#   CIPHER_VIEWERS=50 CIPHER_SECONDS=10 CIPHER_CAMERA=pipe|synthetic
#   WORKLOADS="handshakes viewers startup stime" (a subset runs only those; its results go into their own
#   section; capacity and ciphers, which are not in the default set, each write a section of their own)
#   SECURECAM_DLL=path (another build: a securecam.dll runs under dotnet, the Native AOT binary as is)
#   SECURECAM_ENV="DOTNET_TieredPGO=0 …" (runtime settings for SecureCam; the results then go into their
#   own section, "## SecureCam vs nginx, SecureCam with `…`", so a before/after pair stays side by side)
# Word splitting is meant where variables stand unquoted: PID lists, "name port pid" tuples, SECURECAM_ENV.
# shellcheck disable=SC2086,SC2046
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

VIEWERS=${VIEWERS:-200}
VIEW_SECONDS=${VIEW_SECONDS:-15}
HS_SECONDS=${HS_SECONDS:-10}
HS_CONCURRENCY=${HS_CONCURRENCY:-8}
ROUNDS=${ROUNDS:-2}
STARTUP_RUNS=${STARTUP_RUNS:-5}
WARMUP_SECONDS=${WARMUP_SECONDS:-10}
WRITE_DOCS=${WRITE_DOCS:-1}
KEEP_WORK=${KEEP_WORK:-0}
SECURECAM_ENV=${SECURECAM_ENV:-}
STIME_SECONDS=${STIME_SECONDS:-10}
STIME_CLIENTS=${STIME_CLIENTS:-4}
SERVER_CPUS=${SERVER_CPUS:-0}
CLIENT_CPUS=${CLIENT_CPUS:-1-$(($(nproc) - 1))}
ALL_CPUS=0-$(($(nproc) - 1))
CAP_MIN=${CAP_MIN:-10}
CAP_MAX=${CAP_MAX:-400}
CAP_STEP=${CAP_STEP:-10}
CAP_PROBES=${CAP_PROBES:-6}
CAP_SECONDS=${CAP_SECONDS:-8}
CAP_WARMUP=${CAP_WARMUP:-3}
CAP_FPS=${CAP_FPS:-29}
CAP_ROUNDS=${CAP_ROUNDS:-1}
CAP_CLIENT_BUSY=${CAP_CLIENT_BUSY:-90}
CAP_CIPHER_SUITES=${CAP_CIPHER_SUITES-TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,TLS_CHACHA20_POLY1305_SHA256}
CIPHER_VIEWERS=${CIPHER_VIEWERS:-50}
CIPHER_SECONDS=${CIPHER_SECONDS:-10}
CIPHER_CAMERA=${CIPHER_CAMERA:-pipe}
DEFAULT_WORKLOADS="handshakes viewers startup stime"
WORKLOADS=${WORKLOADS:-$DEFAULT_WORKLOADS}
has() { [[ " $WORKLOADS " == *" $1 "* ]]; }
# The workloads that share the one "SecureCam vs nginx" table; capacity and ciphers have tables of their own.
TABLE_WORKLOADS=$(for w in $WORKLOADS; do if [[ " $DEFAULT_WORKLOADS " == *" $w "* ]]; then printf '%s ' "$w"; fi; done)
TABLE_WORKLOADS=${TABLE_WORKLOADS% }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

say() { printf '%s\n' "compare: $*" >&2; }
die() { say "$*"; exit 1; }
for w in $WORKLOADS; do
  [[ " $DEFAULT_WORKLOADS capacity ciphers " == *" $w "* ]] || die "WORKLOADS: unknown workload $w (handshakes viewers startup stime capacity ciphers)"
done
# SecureCam holds at most 100 streams per certificate here (set below) and the bench has four certificates.
if has capacity; then
  [[ $CAP_STEP -ge 1 && $CAP_MIN -ge 1 && $CAP_MAX -ge $CAP_MIN && $CAP_MAX -le 400 ]] || die "capacity: needs 1 <= CAP_MIN <= CAP_MAX <= 400 and CAP_STEP >= 1"
  [[ $CAP_PROBES -ge 1 && $CAP_PROBES -le 20 && $CAP_ROUNDS -ge 1 && $CAP_ROUNDS -le 10 ]] || die "capacity: CAP_PROBES 1..20, CAP_ROUNDS 1..10"
fi
if has ciphers; then
  [[ $CIPHER_VIEWERS -ge 1 && $CIPHER_VIEWERS -le 400 ]] || die "ciphers: CIPHER_VIEWERS 1..400"
  [[ $CIPHER_CAMERA == pipe || $CIPHER_CAMERA == synthetic ]] || die "ciphers: CIPHER_CAMERA is pipe or synthetic"
fi

# --- peers -------------------------------------------------------------------------------------------
need() { # command package
  command -v "$1" >/dev/null 2>&1 || [[ -x /usr/sbin/$1 ]] && return 0
  [[ $(id -u) == 0 ]] || die "$1 is missing (Debian package $2); run as root to install it"
  say "installing $2"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >/dev/null \
    || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >/dev/null; } \
    || die "apt-get install $2 failed"
}
need nginx nginx-light
need jq jq
need curl curl
if has stime || has capacity || has ciphers; then
  need openssl openssl
  need taskset util-linux
  need ffmpeg ffmpeg
  [[ $(nproc) -ge 2 ]] || die "stime, capacity and ciphers pin server and clients to separate CPUs: need at least 2 (WORKLOADS without them runs the rest)"
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

free_port() { # a TCP port nobody listens on, from a start value
  local port=$1
  while ss -Htln "sport = :$port" | grep -q .; do port=$((port + 1)); done
  echo "$port"
}
SC_PORT=$(free_port 18443)
NGINX_PORT=$(free_port 19443)
UP_PORT=$(free_port 18081)
START_PORT=$(free_port 18543)
PIPE_PORT=$(free_port 18643)
AES_PORT=$(free_port 18743)
CHACHA_PORT=$(free_port 18843)

WORK=$(mktemp -d /tmp/securecam-compare.XXXXXX)
# Run as root, nginx's workers drop to an unprivileged user that must read the snapshot file; the
# keys inside stay 0600 (nginx's master reads them as root before dropping privileges).
chmod 0755 "$WORK"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ $KEEP_WORK == 1 ]]; then say "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# --- build --------------------------------------------------------------------------------------------
say "building (Release)"
for project in src/SecureCam.Server tools/SecureCam.PkiTool tools/SecureCam.Bench; do
  dotnet build "$project" -c Release -nologo -clp:ErrorsOnly -v:q >/dev/null || die "build of $project failed"
done
SECURECAM_DLL=${SECURECAM_DLL:-$ROOT/src/SecureCam.Server/bin/Release/net10.0/securecam.dll}   # another build for a before/after pair
# A .dll runs under `dotnet`; anything else (the Native AOT binary, artifacts/publish/linux-x64/securecam) runs as is.
if [[ $SECURECAM_DLL == *.dll ]]; then SECURECAM=(dotnet "$SECURECAM_DLL"); else SECURECAM=("$SECURECAM_DLL"); fi
PKI=(dotnet "$ROOT/tools/SecureCam.PkiTool/bin/Release/net10.0/securecam-pki.dll" --pki "$WORK/pki")
BENCH=(dotnet "$ROOT/tools/SecureCam.Bench/bin/Release/net10.0/securecam-bench.dll")

# --- one CA, one server certificate, four client certificates, for both servers ------------------------
say "making the PKI with securecam-pki"
"${PKI[@]}" init --no-passphrase --name "SecureCam Bench CA" >/dev/null
"${PKI[@]}" issue-server server --dns localhost --ip 127.0.0.1 >/dev/null
CLIENT=(--ca "$WORK/pki/ca.crt")
# SecureCam lets one certificate hold a few streams (Server:MaxStreamsPerCertificate); 200 viewers
# take four identities in turn, and the limits (streams and connections per certificate, connections per
# address: every bench client comes from 127.0.0.1) are raised for the run.
for i in 1 2 3 4; do
  "${PKI[@]}" issue-client "bench-$i" --p12-password "bench-$i-unused" >/dev/null
  CLIENT+=(--cert "$WORK/pki/issued/bench-$i/cert.pem" --key "$WORK/pki/issued/bench-$i/key.pem")
done

# --- SecureCam ----------------------------------------------------------------------------------------
say "starting SecureCam on 127.0.0.1:$SC_PORT"
# Camera:IdleGraceSeconds=1 stops SecureCam's capture soon after its own run, so it does not take CPU
# from the nginx runs that follow.
env SECURECAM__SERVER__MAXSTREAMSPERCERTIFICATE=100 SECURECAM__SERVER__MAXCONNECTIONSPERCERTIFICATE=1000 SECURECAM__SERVER__MAXCONNECTIONSPERADDRESS=1000 SECURECAM__CAMERA__IDLEGRACESECONDS=1 $SECURECAM_ENV \
  "${SECURECAM[@]}" serve --pki "$WORK/pki" --listen "https://127.0.0.1:$SC_PORT" --camera synthetic \
  >"$WORK/securecam.log" 2>&1 &
SC_PID=$!; PIDS+=("$SC_PID")
mkdir -p "$WORK/www"
CURL=(curl -sf --max-time 10 --cacert "$WORK/pki/ca.crt" --cert "$WORK/pki/issued/bench-1/cert.pem" --key "$WORK/pki/issued/bench-1/key.pem")
for _ in $(seq 1 300); do
  "${CURL[@]}" -o "$WORK/www/snapshot.jpg" "https://127.0.0.1:$SC_PORT/snapshot" 2>/dev/null && break
  kill -0 "$SC_PID" 2>/dev/null || { cat "$WORK/securecam.log" >&2; die "SecureCam exited"; }
  sleep 0.2
done
[[ -s $WORK/www/snapshot.jpg ]] || die "SecureCam served no snapshot in 60 s"
SNAPSHOT_BYTES=$(stat -c %s "$WORK/www/snapshot.jpg")

# --- the plain-HTTP MJPEG upstream and nginx -------------------------------------------------------------
start_upstream() { # [cpus: pinned there, every thread]
  ${1:+taskset -c "$1"} "${BENCH[@]}" mjpeg-upstream --listen "127.0.0.1:$UP_PORT" --camera synthetic >"$WORK/upstream.log" 2>&1 &
  UP_PID=$!; PIDS+=("$UP_PID")
  for _ in $(seq 1 150); do
    # The stream never ends, so curl times out; the status code tells whether it answered.
    [[ $(curl -s --max-time 0.5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$UP_PORT/video" || true) == 200 ]] && return 0
    sleep 0.2
  done
  die "the MJPEG upstream did not start: $(cat "$WORK/upstream.log")"
}
# SIGTERM, not SIGINT: a background job of a script starts with SIGINT ignored.
stop_upstream() { kill -TERM "$UP_PID" 2>/dev/null || true; wait "$UP_PID" 2>/dev/null || true; }

cat >"$WORK/nginx.conf" <<NGINX
# nginx with mutual TLS, as compare.sh runs it.
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 4096; }
http {
  client_body_temp_path $WORK/nginx-tmp; proxy_temp_path $WORK/nginx-tmp; fastcgi_temp_path $WORK/nginx-tmp;
  uwsgi_temp_path $WORK/nginx-tmp; scgi_temp_path $WORK/nginx-tmp;
  # \$ssl_session_reused is "r" when a handshake resumed: the bench must never resume.
  log_format reuse '\$ssl_session_reused \$status \$request_uri';
  access_log $WORK/nginx-access.log reuse buffer=256k flush=2s;
  sendfile on; tcp_nodelay on;
  server {
    listen 127.0.0.1:$NGINX_PORT ssl;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_certificate $WORK/pki/issued/server/chain.pem;
    ssl_certificate_key $WORK/pki/issued/server/key.pem;
    ssl_client_certificate $WORK/pki/ca.crt;
    ssl_verify_client on;
    location = /snapshot { default_type image/jpeg; add_header Cache-Control "no-store"; alias $WORK/www/snapshot.jpg; }
    location = /video {
      proxy_pass http://127.0.0.1:$UP_PORT;
      proxy_buffering off;
      proxy_http_version 1.1;
      proxy_read_timeout 1h;
    }
  }
}
NGINX
mkdir -p "$WORK/nginx-tmp"
"$NGINX" -t -q -c "$WORK/nginx.conf" -p "$WORK" || die "nginx rejected its configuration"
"$NGINX" -c "$WORK/nginx.conf" -p "$WORK" -g 'daemon off;' >"$WORK/nginx.out" 2>&1 &
NGINX_PID=$!; PIDS+=("$NGINX_PID")
for _ in $(seq 1 100); do "${CURL[@]}" -o /dev/null "https://127.0.0.1:$NGINX_PORT/snapshot" 2>/dev/null && break; sleep 0.1; done
cmp -s <("${CURL[@]}" "https://127.0.0.1:$NGINX_PORT/snapshot") "$WORK/www/snapshot.jpg" || die "nginx does not serve the snapshot"

# --- the runs -------------------------------------------------------------------------------------------
mkdir -p "$WORK/results"
LOAD_BEFORE=$(uptime)

run_handshakes() { # target port pid round
  "${BENCH[@]}" handshakes --url "https://127.0.0.1:$2/snapshot" "${CLIENT[@]}" --concurrency "$HS_CONCURRENCY" \
    --seconds "$HS_SECONDS" --server-pid "$3" --json "$WORK/results/handshakes-$1-$4.json" | sed 's/^/  /' >&2
}
run_viewers() { # target port pid round
  local pids=(--server-pid "$3")
  # nginx's side is two programs, nginx and the streamer it proxies: both are sampled, as one stack
  # (the bench reports the sum, and each apart: nginx is server_processes[0]).
  if [[ $1 == nginx ]]; then start_upstream; pids+=(--server-pid "$UP_PID"); fi
  "${BENCH[@]}" viewers --url "https://127.0.0.1:$2/video" "${CLIENT[@]}" --viewers "$VIEWERS" \
    --seconds "$VIEW_SECONDS" --warmup 3 "${pids[@]}" --json "$WORK/results/viewers-$1-$4.json" | sed 's/^/  /' >&2
  if [[ $1 == nginx ]]; then stop_upstream; fi
  sleep 2   # SecureCam's camera stops 1 s after its last viewer; neither side inherits the other's load
}

# Warm-up, not recorded: .NET compiles hot code again, optimised, in the background during its first
# seconds of load (tiered compilation); the comparison is of two servers in their steady state.
say "warm-up: $WARMUP_SECONDS s of handshakes and of 20 viewers on each server (not recorded)"
for target in "nginx $NGINX_PORT" "securecam $SC_PORT"; do
  set -- $target
  if has handshakes || has stime; then
    "${BENCH[@]}" handshakes --url "https://127.0.0.1:$2/snapshot" "${CLIENT[@]}" --concurrency "$HS_CONCURRENCY" --seconds "$WARMUP_SECONDS" >/dev/null
  fi
  if has viewers || has capacity; then
    [[ $1 == nginx ]] && start_upstream
    "${BENCH[@]}" viewers --url "https://127.0.0.1:$2/video" "${CLIENT[@]}" --viewers 20 --seconds "$WARMUP_SECONDS" --warmup 0 >/dev/null
    [[ $1 == nginx ]] && stop_upstream
  fi
done
sleep 3   # nginx flushes its access log every 2 s
ACCESS_LINES_BEFORE=$(wc -l <"$WORK/nginx-access.log" 2>/dev/null || echo 0)

has handshakes && for round in $(seq 1 "$ROUNDS"); do
  say "round $round/$ROUNDS: handshakes (concurrency $HS_CONCURRENCY, $HS_SECONDS s) nginx, then SecureCam"
  run_handshakes nginx "$NGINX_PORT" "$NGINX_PID" "$round"
  run_handshakes securecam "$SC_PORT" "$SC_PID" "$round"
done
has viewers && for round in $(seq 1 "$ROUNDS"); do
  say "round $round/$ROUNDS: $VIEWERS viewers ($VIEW_SECONDS s) nginx, then SecureCam"
  run_viewers nginx "$NGINX_PORT" "$NGINX_PID" "$round"
  run_viewers securecam "$SC_PORT" "$SC_PID" "$round"
done
sleep 3   # let nginx flush its access log
REUSED=$(awk '$1 == "r"' "$WORK/nginx-access.log" | wc -l)
FULL=$(tail -n +"$((ACCESS_LINES_BEFORE + 1))" "$WORK/nginx-access.log" | awk '$1 == "." && $3 == "/snapshot"' | wc -l)

# --- openssl s_time: servers and clients pinned apart ----------------------------------------------------
# CPU time (user + system) of processes, in clock ticks, from /proc/PID/stat (fields 14 and 15; the
# command name in field 2 may hold spaces, so everything up to its ")" goes first).
cpu_ticks() { local total=0 pid; for pid in "$@"; do total=$((total + $(sed 's/^.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }'))); done; echo "$total"; }
# Every thread of each process (taskset -a), so threads started later inherit it too.
pin() { local cpus=$1 pid; shift; for pid in "$@"; do taskset -a -p -c "$cpus" "$pid" >/dev/null; done; }
server_pids() { # target
  case $1 in
    nginx) echo "$NGINX_PID" $(pgrep -P "$NGINX_PID") ;;   # the master and its workers
    securecam) echo "$SC_PID" ;;
    securecam-pipe) echo "$PIPE_PID" ;;
  esac
}
run_stime() { # target port round|warmup seconds
  local pids clients=() before after start end i
  pids=$(server_pids "$1")
  before=$(cpu_ticks $pids); start=$(date +%s.%N)
  for i in $(seq 1 "$STIME_CLIENTS"); do
    taskset -c "$CLIENT_CPUS" openssl s_time -connect "127.0.0.1:$2" -new -www /snapshot -time "$4" \
      -cert "$WORK/pki/issued/bench-1/cert.pem" -key "$WORK/pki/issued/bench-1/key.pem" -CAfile "$WORK/pki/ca.crt" \
      >"$WORK/stime-$1-$3-$i.txt" 2>&1 &
    clients+=($!)
  done
  wait "${clients[@]}" || die "openssl s_time failed against $1: $(tail -3 "$WORK/stime-$1-$3-1.txt")"
  end=$(date +%s.%N); after=$(cpu_ticks $pids)
  [[ $3 == warmup ]] && return 0
  # "1234 connections in 11 real seconds, 120287 bytes read per connection", one line per client.
  cat "$WORK"/stime-"$1"-"$3"-*.txt | awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" -v wall="$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" '
    / connections in [0-9]+ real seconds/ { n += $1; bytes = $(NF - 4); runs++ }
    END { printf "{\"connections\": %d, \"clients\": %d, \"seconds\": %.2f, \"connections_per_second\": %.1f, \"server_cpu_percent\": %.1f, \"server_cpu_microseconds_per_connection\": %s, \"bytes_per_connection\": %d}\n",
      n, runs, wall, n / wall, ticks / hz / wall * 100, (n > 0 ? sprintf("%.0f", ticks / hz * 1e6 / n) : "null"), bytes }' \
    >"$WORK/results/stime-$1-$3.json"
  jq -c . "$WORK/results/stime-$1-$3.json" | sed "s/^/  $1: /" >&2
  [[ $(jq .bytes_per_connection "$WORK/results/stime-$1-$3.json") -ge $SNAPSHOT_BYTES ]] \
    || die "$1 answered s_time with fewer bytes than the snapshot: $(head -c 300 "$WORK/stime-$1-$3-1.txt")"
}
# The pipe camera's file: the very snapshot nginx serves, 30 times; ffmpeg replays it at 30 fps
# without decoding (-c copy), so SecureCam sends the same bytes as nginx and encodes nothing.
PIPE_CAMERA="pipe:exec taskset -c $CLIENT_CPUS ffmpeg -hide_banner -loglevel error -re -stream_loop -1 -f mjpeg -framerate 30 -i $WORK/replay.mjpeg -c copy -f mjpeg -"
if has stime || { has ciphers && [[ $CIPHER_CAMERA == pipe ]]; }; then
  for _ in $(seq 1 30); do cat "$WORK/www/snapshot.jpg"; done >"$WORK/replay.mjpeg"
fi
# Another SecureCam on the same PKI: start_securecam NAME PORT CAMERA [VAR=value ...] sets STARTED_PID
# once its /snapshot answers (saved as $WORK/NAME-snapshot.jpg); the log is $WORK/NAME.log.
start_securecam() {
  local name=$1 port=$2 camera=$3
  shift 3
  say "starting SecureCam ($name) on 127.0.0.1:$port"
  env SECURECAM__CAMERA__IDLEGRACESECONDS=1 "$@" $SECURECAM_ENV \
    "${SECURECAM[@]}" serve --pki "$WORK/pki" --listen "https://127.0.0.1:$port" --camera "$camera" \
    >"$WORK/$name.log" 2>&1 &
  STARTED_PID=$!; PIDS+=("$STARTED_PID")
  for _ in $(seq 1 300); do
    "${CURL[@]}" -o "$WORK/$name-snapshot.jpg" "https://127.0.0.1:$port/snapshot" 2>/dev/null && return 0
    kill -0 "$STARTED_PID" 2>/dev/null || { cat "$WORK/$name.log" >&2; die "SecureCam ($name) exited"; }
    sleep 0.2
  done
  die "SecureCam ($name) served no snapshot in 60 s"
}
if has stime; then
  start_securecam securecam-pipe "$PIPE_PORT" "$PIPE_CAMERA"
  PIPE_PID=$STARTED_PID
  cmp -s "$WORK/securecam-pipe-snapshot.jpg" "$WORK/www/snapshot.jpg" || die "the pipe camera does not serve the snapshot's bytes"
  pin "$SERVER_CPUS" $(server_pids nginx) "$SC_PID" "$PIPE_PID"
  say "s_time: servers on CPUs $SERVER_CPUS, $STIME_CLIENTS clients on CPUs $CLIENT_CPUS; warm-up ($WARMUP_SECONDS s each, not recorded)"
  for target in "nginx $NGINX_PORT" "securecam $SC_PORT" "securecam-pipe $PIPE_PORT"; do
    set -- $target
    run_stime "$1" "$2" warmup "$WARMUP_SECONDS"
  done
  for round in $(seq 1 "$ROUNDS"); do
    say "round $round/$ROUNDS: openssl s_time -new ($STIME_CLIENTS clients, $STIME_SECONDS s) nginx, SecureCam, SecureCam with the pipe camera"
    run_stime nginx "$NGINX_PORT" "$round" "$STIME_SECONDS"
    run_stime securecam "$SC_PORT" "$round" "$STIME_SECONDS"
    run_stime securecam-pipe "$PIPE_PORT" "$round" "$STIME_SECONDS"
  done
  pin "$ALL_CPUS" $(server_pids nginx) "$SC_PID"
  kill -TERM "$PIPE_PID" 2>/dev/null || true; wait "$PIPE_PID" 2>/dev/null || true
  sleep 3   # let nginx flush its access log
  STIME_REUSED=$(awk '$1 == "r"' "$WORK/nginx-access.log" | wc -l)
fi

# --- viewer capacity per core: servers pinned to SERVER_CPUS, the viewers client to CLIENT_CPUS -----------
# The CPUs in a taskset list ("1-3,5" is 4).
cpu_count() {
  local n=0 part parts
  IFS=, read -ra parts <<<"$1"
  for part in "${parts[@]}"; do
    if [[ $part == *-* ]]; then n=$((n + ${part#*-} - ${part%-*} + 1)); else n=$((n + 1)); fi
  done
  echo "$n"
}
CLIENT_CPU_COUNT=$(cpu_count "$CLIENT_CPUS")
# One probe: VIEWERS viewers of one server for a window; its JSON and a summary line. Bounded: the bench
# stops itself after its window, and `timeout` bounds the connecting too.
# Sets PROBE_PASS (median viewer fps >= CAP_FPS), PROBE_CLIENT_BUSY and PROBE_ROW (a row of the probes table).
run_probe() { # target port pid round viewers
  local json="$WORK/results/capacity-$1-$4-$5.json" pids=(--server-pid "$3") offer=() fps p99 server client tls connected
  [[ -n $CAP_CIPHER_SUITES ]] && offer=(--cipher-suites "$CAP_CIPHER_SUITES")
  if [[ $1 == nginx ]]; then start_upstream "$SERVER_CPUS"; pids+=(--server-pid "$UP_PID"); fi
  timeout $((CAP_WARMUP + CAP_SECONDS + 120)) taskset -c "$CLIENT_CPUS" "${BENCH[@]}" viewers --url "https://127.0.0.1:$2/video" "${CLIENT[@]}" "${offer[@]}" \
    --viewers "$5" --seconds "$CAP_SECONDS" --warmup "$CAP_WARMUP" "${pids[@]}" --json "$json" >"$WORK/probe.txt" 2>&1 || true
  if [[ $1 == nginx ]]; then stop_upstream; fi
  sleep 2   # SecureCam's camera stops 1 s after its last viewer; the next probe starts from rest
  [[ -s $json ]] || die "capacity: the viewers bench wrote no result for $1 with $5 viewers: $(tail -5 "$WORK/probe.txt")"
  # An empty window has NaN figures (written as strings): they count as 0 fps.
  num() { jq -r "($1) as \$v | if (\$v | type) == \"number\" then \$v * 10 | round / 10 else 0 end" "$json"; }
  fps=$(num .viewer_fps.p50); p99=$(num .delay_ms.p99); server=$(num .server.cpu_percent); client=$(num .client_cpu_percent)
  connected=$(jq -r .connected "$json")
  tls=$(jq -r '.negotiated_tls | to_entries | map("\(.key) ×\(.value)") | join(", ")' "$json")
  PROBE_PASS=0; PROBE_CLIENT_BUSY=0
  awk -v f="$fps" -v t="$CAP_FPS" 'BEGIN { exit !(f >= t) }' && PROBE_PASS=1
  awk -v c="$client" -v limit=$((CAP_CLIENT_BUSY * CLIENT_CPU_COUNT)) 'BEGIN { exit !(c >= limit) }' && PROBE_CLIENT_BUSY=1
  local verdict
  if [[ $PROBE_PASS == 1 ]]; then verdict="yes"; elif [[ $PROBE_CLIENT_BUSY == 1 ]]; then verdict="no, client-bound"; else verdict="no"; fi
  say "  $1, $5 viewers ($connected connected): median $fps fps, p99 delay $p99 ms, server CPU $server %, client CPU $client % → $verdict"
  PROBE_ROW="| $4 | $1 | $5 | $connected | $fps | $p99 | $server | $client | $tls | $verdict |"
}
if has capacity; then
  # The grid: CAP_MIN, CAP_MIN + CAP_STEP, …, up to CAP_MAX; per server the index below which every
  # probe passed (lo, -1: none yet) and the lowest that failed (hi, one past the grid: none yet).
  CAP_K=$(((CAP_MAX - CAP_MIN) / CAP_STEP))
  CAP_ROWS=()
  declare -A CAP_LO CAP_HI CAP_HI_BUSY CAP_RESULT
  pin "$SERVER_CPUS" $(server_pids nginx) "$SC_PID"
  say "capacity: servers on CPUs $SERVER_CPUS (nginx with its streamer), the viewers client on CPUs $CLIENT_CPUS; median ≥ $CAP_FPS fps"
  for round in $(seq 1 "$CAP_ROUNDS"); do
    for target in nginx securecam; do CAP_LO[$target]=-1; CAP_HI[$target]=$((CAP_K + 1)); CAP_HI_BUSY[$target]=0; done
    for probe in $(seq 1 "$CAP_PROBES"); do
      searching=0
      # A B A B: one probe of each server in turn, so a change in the machine's speed hits both.
      for target in "nginx $NGINX_PORT $NGINX_PID" "securecam $SC_PORT $SC_PID"; do
        set -- $target
        [[ $((CAP_HI[$1] - CAP_LO[$1])) -gt 1 ]] || continue
        searching=1
        mid=$(((CAP_LO[$1] + CAP_HI[$1]) / 2))
        say "capacity round $round/$CAP_ROUNDS, probe $probe/$CAP_PROBES: $1 with $((CAP_MIN + mid * CAP_STEP)) viewers"
        run_probe "$1" "$2" "$3" "$round" $((CAP_MIN + mid * CAP_STEP))
        CAP_ROWS+=("$PROBE_ROW")
        if [[ $PROBE_PASS == 1 ]]; then CAP_LO[$1]=$mid; else CAP_HI[$1]=$mid; CAP_HI_BUSY[$1]=$PROBE_CLIENT_BUSY; fi
      done
      [[ $searching == 1 ]] || break
    done
    for target in nginx securecam; do
      lo=${CAP_LO[$target]}; hi=${CAP_HI[$target]}
      if [[ $lo -lt 0 ]]; then result="< $CAP_MIN"
      elif [[ $lo -ge $CAP_K ]]; then result="≥ $CAP_MAX"
      else result=$((CAP_MIN + lo * CAP_STEP))
      fi
      # Probes ran out before the bracket closed: the capacity lies in between.
      [[ $lo -ge 0 && $hi -le $CAP_K && $((hi - lo)) -gt 1 ]] && result+=" (< $((CAP_MIN + hi * CAP_STEP)), not narrowed further)"
      [[ ${CAP_HI_BUSY[$target]} == 1 ]] && result+=" client-bound"
      CAP_RESULT[$target]+="${CAP_RESULT[$target]:+, }$result"
      say "capacity round $round: $target keeps $result viewers at a median ≥ $CAP_FPS fps"
    done
  done
  pin "$ALL_CPUS" $(server_pids nginx) "$SC_PID"
fi

# --- the stream's server CPU per frame, per cipher suite -------------------------------------------------
if has ciphers; then
  if [[ $CIPHER_CAMERA == pipe ]]; then CIPHER_CAMERA_SPEC=$PIPE_CAMERA; else CIPHER_CAMERA_SPEC=synthetic; fi
  LIMITS=(SECURECAM__SERVER__MAXSTREAMSPERCERTIFICATE=100 SECURECAM__SERVER__MAXCONNECTIONSPERCERTIFICATE=1000 SECURECAM__SERVER__MAXCONNECTIONSPERADDRESS=1000)
  start_securecam securecam-aes "$AES_PORT" "$CIPHER_CAMERA_SPEC" "${LIMITS[@]}" SECURECAM__SERVER__CIPHERPREFERENCE=aes
  AES_PID=$STARTED_PID
  start_securecam securecam-chacha20 "$CHACHA_PORT" "$CIPHER_CAMERA_SPEC" "${LIMITS[@]}" SECURECAM__SERVER__CIPHERPREFERENCE=chacha20
  CHACHA_PID=$STARTED_PID
  pin "$SERVER_CPUS" "$AES_PID" "$CHACHA_PID"
  # name, port, pid, the suites the client offers ("" = the .NET client's default list)
  CIPHER_RUNS=("aes128 $AES_PORT $AES_PID" "aes256 $AES_PORT $AES_PID TLS_AES_256_GCM_SHA384" "chacha20 $CHACHA_PORT $CHACHA_PID")
  declare -A CIPHER_SCLIENT
  run_ciphers() { # name port pid suites round|warmup viewers seconds
    local offer=() json="$WORK/results/ciphers-$1-$5.json"
    [[ -n ${4:-} ]] && offer=(--cipher-suites "$4")
    [[ $5 == warmup ]] && json="$WORK/ciphers-warmup.json"
    timeout $(($7 + 120)) taskset -c "$CLIENT_CPUS" "${BENCH[@]}" viewers --url "https://127.0.0.1:$2/video" "${CLIENT[@]}" "${offer[@]}" \
      --viewers "$6" --seconds "$7" --warmup 3 --server-pid "$3" --json "$json" >"$WORK/ciphers.txt" 2>&1 \
      || die "ciphers: the viewers bench failed against $1: $(tail -5 "$WORK/ciphers.txt")"
    sleep 2
    [[ $5 == warmup ]] && return 0
    say "  $1: $(jq -r '"negotiated \(.negotiated_tls | keys | join(", ")), median \(.viewer_fps.p50 * 10 | round / 10) fps, server CPU \(.server.cpu_percent | round) %, \(.server.cpu_microseconds_per_unit | round) µs per frame, client CPU \(.client_cpu_percent | round) %"' "$json")"
  }
  say "ciphers: checking with openssl s_client which suite each server takes from the same offer"
  for run in "${CIPHER_RUNS[@]}"; do
    set -- $run
    # Without -ciphersuites s_client offers OpenSSL's default TLS 1.3 list, the very list (and order) the
    # .NET client offers: TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256, TLS_AES_128_GCM_SHA256.
    CIPHER_SCLIENT[$1]=$(openssl s_client -connect "127.0.0.1:$2" ${4:+-ciphersuites "$4"} -CAfile "$WORK/pki/ca.crt" \
      -cert "$WORK/pki/issued/bench-1/cert.pem" -key "$WORK/pki/issued/bench-1/key.pem" </dev/null 2>/dev/null \
      | sed -n 's/^New, \([^,]*\), Cipher is \(.*\)$/\1 \2/p' | head -1)
    say "  $1: s_client negotiated ${CIPHER_SCLIENT[$1]:-nothing}"
  done
  say "ciphers: warm-up, $WARMUP_SECONDS s of $CIPHER_VIEWERS viewers on each server (not recorded)"
  run_ciphers aes128 "$AES_PORT" "$AES_PID" "" warmup "$CIPHER_VIEWERS" "$WARMUP_SECONDS"
  run_ciphers chacha20 "$CHACHA_PORT" "$CHACHA_PID" "" warmup "$CIPHER_VIEWERS" "$WARMUP_SECONDS"
  for round in $(seq 1 "$ROUNDS"); do
    say "round $round/$ROUNDS: $CIPHER_VIEWERS viewers ($CIPHER_SECONDS s) with AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305"
    for run in "${CIPHER_RUNS[@]}"; do
      set -- $run
      run_ciphers "$1" "$2" "$3" "${4:-}" "$round" "$CIPHER_VIEWERS" "$CIPHER_SECONDS"
    done
  done
  for pid in "$AES_PID" "$CHACHA_PID"; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
fi

if has startup; then
  say "startup: process start to first frame, $STARTUP_RUNS runs"
  env $SECURECAM_ENV "${BENCH[@]}" startup --url "https://127.0.0.1:$START_PORT/snapshot" "${CLIENT[@]}" --runs "$STARTUP_RUNS" \
    --settle 5 --json "$WORK/results/startup-securecam.json" -- \
    "${SECURECAM[@]}" serve --pki "$WORK/pki" --listen "https://127.0.0.1:$START_PORT" --camera synthetic | sed 's/^/  /' >&2
fi
LOAD_AFTER=$(uptime)

# --- the table ------------------------------------------------------------------------------------------
# stat FILES_GLOB JQ_EXPR -> "median (min–max)" over the rounds
stat() {
  jq -s -r "[.[] | $2] | sort | if length == 0 then \"n/a\" else
    (if length % 2 == 1 then .[length/2|floor] else (.[length/2-1] + .[length/2]) / 2 end) as \$m
    | \"\(\$m * 10 | round / 10) (\(.[0] * 10 | round / 10)–\(.[-1] * 10 | round / 10))\" end" $1
}
median() { jq -s -r "[.[] | $2] | sort | if length % 2 == 1 then .[length/2|floor] else (.[length/2-1] + .[length/2]) / 2 end" $1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }

R=$WORK/results
HS_N="$R/handshakes-nginx-*.json"; HS_S="$R/handshakes-securecam-*.json"
V_N="$R/viewers-nginx-*.json"; V_S="$R/viewers-securecam-*.json"
ST_N="$R/stime-nginx-*.json"; ST_S="$R/stime-securecam-[0-9]*.json"; ST_P="$R/stime-securecam-pipe-*.json"

row() { # label nginx-stat securecam-stat ratio target
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" "$5"
}
TABLE=$(
  echo "| measure | nginx | SecureCam | SecureCam / nginx | target |"
  echo "|---|---|---|---|---|"
  if has handshakes; then
  row "handshake + snapshot, connections/s" "$(stat "$HS_N" .connections_per_second)" "$(stat "$HS_S" .connections_per_second)" \
    "$(ratio "$(median "$HS_S" .connections_per_second)" "$(median "$HS_N" .connections_per_second)")" "≥ 1.00"
  row "  latency p50, ms" "$(stat "$HS_N" .total_ms.p50)" "$(stat "$HS_S" .total_ms.p50)" "" ""
  row "  latency p99, ms" "$(stat "$HS_N" .total_ms.p99)" "$(stat "$HS_S" .total_ms.p99)" "" ""
  row "  server CPU per connection, µs" "$(stat "$HS_N" .server.cpu_microseconds_per_unit)" "$(stat "$HS_S" .server.cpu_microseconds_per_unit)" \
    "$(ratio "$(median "$HS_S" .server.cpu_microseconds_per_unit)" "$(median "$HS_N" .server.cpu_microseconds_per_unit)")" ""
  row "  errors" "$(stat "$HS_N" .errors)" "$(stat "$HS_S" .errors)" "" "0"
  fi
  if has stime; then
  row "openssl s_time -new -www /snapshot ($STIME_CLIENTS clients, pinned apart), connections/s" "$(stat "$ST_N" .connections_per_second)" "$(stat "$ST_S" .connections_per_second)" \
    "$(ratio "$(median "$ST_S" .connections_per_second)" "$(median "$ST_N" .connections_per_second)")" "≥ 1.00"
  row "  server CPU per connection, µs" "$(stat "$ST_N" .server_cpu_microseconds_per_connection)" "$(stat "$ST_S" .server_cpu_microseconds_per_connection)" \
    "$(ratio "$(median "$ST_S" .server_cpu_microseconds_per_connection)" "$(median "$ST_N" .server_cpu_microseconds_per_connection)")" "≤ 1.00"
  row "  server CPU, % of one core" "$(stat "$ST_N" .server_cpu_percent)" "$(stat "$ST_S" .server_cpu_percent)" "" ""
  row "  SecureCam with the pipe: camera (no encoder), connections/s" "" "$(stat "$ST_P" .connections_per_second)" \
    "$(ratio "$(median "$ST_P" .connections_per_second)" "$(median "$ST_N" .connections_per_second)")" "≥ 1.00"
  row "  SecureCam with the pipe: camera, server CPU per connection, µs" "" "$(stat "$ST_P" .server_cpu_microseconds_per_connection)" \
    "$(ratio "$(median "$ST_P" .server_cpu_microseconds_per_connection)" "$(median "$ST_N" .server_cpu_microseconds_per_connection)")" "≤ 1.00"
  row "  bytes read per connection" "$(stat "$ST_N" .bytes_per_connection)" "$(stat "$ST_S" .bytes_per_connection)" "" ""
  fi
  if has viewers; then
  row "$VIEWERS viewers: median viewer fps" "$(stat "$V_N" .viewer_fps.p50)" "$(stat "$V_S" .viewer_fps.p50)" \
    "$(ratio "$(median "$V_S" .viewer_fps.p50)" "$(median "$V_N" .viewer_fps.p50)")" "≥ 29"
  row "  slowest viewer fps" "$(stat "$V_N" .viewer_fps.min)" "$(stat "$V_S" .viewer_fps.min)" "" ""
  row "  frame delay p50, ms" "$(stat "$V_N" .delay_ms.p50)" "$(stat "$V_S" .delay_ms.p50)" "" ""
  row "  frame delay p99, ms" "$(stat "$V_N" .delay_ms.p99)" "$(stat "$V_S" .delay_ms.p99)" "" "< 100"
  row "  frames missed, %" "$(stat "$V_N" .missed_percent)" "$(stat "$V_S" .missed_percent)" "" ""
  row "  MB/s delivered" "$(stat "$V_N" .megabytes_per_second)" "$(stat "$V_S" .megabytes_per_second)" "" ""
  # nginx's cells: nginx plus the streamer behind it (which captures and encodes the frames, as
  # SecureCam does within its own figure), then nginx alone.
  row "  server CPU, % of one core" "$(stat "$V_N" .server.cpu_percent) with streamer; $(stat "$V_N" '.server_processes[0].cpu_percent') alone" \
    "$(stat "$V_S" .server.cpu_percent)" "" ""
  row "  server CPU per delivered frame, µs" "$(stat "$V_N" .server.cpu_microseconds_per_unit) with streamer; $(stat "$V_N" '.server_processes[0].cpu_microseconds_per_unit') alone" \
    "$(stat "$V_S" .server.cpu_microseconds_per_unit)" \
    "$(ratio "$(median "$V_S" .server.cpu_microseconds_per_unit)" "$(median "$V_N" .server.cpu_microseconds_per_unit)") (vs with streamer); $(ratio "$(median "$V_S" .server.cpu_microseconds_per_unit)" "$(median "$V_N" '.server_processes[0].cpu_microseconds_per_unit')") (vs alone)" "≤ 1.00"
  row "  server RSS at $VIEWERS viewers (max sample), MB" "$(stat "$V_N" .server.rss_max_mb) with streamer; $(stat "$V_N" '.server_processes[0].rss_max_mb') alone" "$(stat "$V_S" .server.rss_max_mb)" "" "< 150"
  row "  bench client CPU, % of one core" "$(stat "$V_N" .client_cpu_percent)" "$(stat "$V_S" .client_cpu_percent)" "" ""
  row "  viewer errors" "$(stat "$V_N" .errors)" "$(stat "$V_S" .errors)" "" "0"
  fi
  if has startup; then
  row "SecureCam start → first frame served, ms (median of runs, min–max)" "" \
    "$(jq -r '"\(.first_frame_ms.p50 | round) (\(.first_frame_ms.min | round)–\(.first_frame_ms.max | round))"' "$R/startup-securecam.json")" "" "< 1500"
  row "SecureCam RSS idle (5 s after the first frame), MB" "" \
    "$(jq -r '"\(.idle_rss_mb.p50 * 10 | round / 10) (\(.idle_rss_mb.min * 10 | round / 10)–\(.idle_rss_mb.max * 10 | round / 10))"' "$R/startup-securecam.json")" "" "< 60"
  fi
)

# The default run has the plain title; a run with other viewers or runtime settings gets its own section.
TITLE="SecureCam vs nginx"
[[ $VIEWERS == 200 ]] || TITLE+=", $VIEWERS viewers"
[[ -z $SECURECAM_ENV ]] || TITLE+=", SecureCam with \`$SECURECAM_ENV\`"
[[ $TABLE_WORKLOADS == "$DEFAULT_WORKLOADS" ]] || TITLE+=", $TABLE_WORKLOADS only"
# The parts of the section's text that belong to the workloads that ran.
workload_notes() {
  if has handshakes; then cat <<MD
- handshakes: every connection a new TCP connection and a full mutual-TLS handshake (the client sets
  \`AllowTlsResume = false\`; nginx logged $FULL full handshakes for /snapshot and $REUSED resumed ones),
  then \`GET /snapshot\` read to the end. Server CPU is the server's process tree from /proc.
  SecureCam's figure includes its camera, which runs while snapshots are asked for; nginx reads a file.
MD
  fi
  if has stime; then cat <<MD
- openssl s_time: $STIME_CLIENTS \`openssl s_time -new -www /snapshot\` processes at once for $STIME_SECONDS s,
  each connection a full mutual-TLS handshake (nginx logged ${STIME_REUSED:-0} resumed ones in all), the
  snapshot read to the end, connections summed over the clients; servers pinned to CPUs $SERVER_CPUS and
  clients to CPUs $CLIENT_CPUS (taskset, every thread); server CPU from /proc/PID/stat (nginx: master and
  workers). nginx, SecureCam (synthetic camera, which encodes while snapshots are asked for) and SecureCam
  with a \`pipe:\` camera replaying the very snapshot nginx serves (ffmpeg \`-c copy\` on the clients' CPUs,
  not counted) in turn, $ROUNDS rounds, after $WARMUP_SECONDS s of unrecorded s_time on each.
MD
  fi
  if has viewers; then cat <<MD
- viewers: $VIEWERS concurrent mutual-TLS \`GET /video\` streams of the 1280×720, 30 fps synthetic camera,
  3 s warm-up, then a $VIEW_SECONDS s window. Delay is from the part's X-Capture-Time to the arrival of its
  last byte; missed frames are gaps in X-Frame-Sequence.
MD
  fi
}
workload_commands() {
  if has handshakes; then echo "securecam-bench handshakes --url https://127.0.0.1:PORT/snapshot --ca ca.crt --cert C --key K … --concurrency $HS_CONCURRENCY --seconds $HS_SECONDS --server-pid PID"; fi
  if has viewers; then echo "securecam-bench viewers --url https://127.0.0.1:PORT/video --ca ca.crt --cert C --key K … --viewers $VIEWERS --seconds $VIEW_SECONDS --warmup 3 --server-pid PID"; fi
  if has startup; then echo "securecam-bench startup --url https://127.0.0.1:PORT/snapshot --ca ca.crt --cert C --key K --runs $STARTUP_RUNS --settle 5 -- dotnet securecam.dll serve --pki DIR --listen https://127.0.0.1:PORT --camera synthetic"; fi
  if has stime; then echo "taskset -c $CLIENT_CPUS openssl s_time -connect 127.0.0.1:PORT -new -www /snapshot -time $STIME_SECONDS -cert C -key K -CAfile ca.crt   # × $STIME_CLIENTS at once"; fi
}

# The lines every section starts with: when, what, on which machine, how loaded.
produced_by() { # how-the-cores-were-shared
  cat <<MD
Produced by \`tools/bench/compare.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') (branch \`$(git rev-parse --abbrev-ref HEAD)\`,
commit \`$(git rev-parse --short HEAD)\`). Machine: $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p' | head -1)),
$(free -g | awk '/^Mem:/ { print $2 }') GiB, $(uname -sr), .NET $(dotnet --version), $("$NGINX" -v 2>&1 | sed 's/.*: //'),
OpenSSL $(openssl version | awk '{ print $2 }'). $1
Load before: \`${LOAD_BEFORE#*load average: }\`; after: \`${LOAD_AFTER#*load average: }\` (1, 5, 15 min).
${SECURECAM_ENV:+SecureCam ran with the runtime settings \`$SECURECAM_ENV\` (environment variables, no code change).}
MD
}
# Prints a section, and with WRITE_DOCS=1 puts it into docs/benchmarks.md in place of the one with its title.
write_section() { # title text
  printf '\n%s\n' "$2"
  [[ $WRITE_DOCS == 1 ]] || return 0
  local doc=docs/benchmarks.md
  # Replace only this section: from its heading to the next "## " heading (or the end).
  awk -v title="## $1" 'BEGIN { skip = 0 } $0 == title { skip = 1; next } /^## / { skip = 0 } !skip' "$doc" >"$WORK/benchmarks.md"
  printf '\n%s\n' "$2" >>"$WORK/benchmarks.md"
  cat -s "$WORK/benchmarks.md" >"$doc"
  say "wrote the section \"$1\" into $doc"
}

if [[ -n $TABLE_WORKLOADS ]]; then
SECTION=$(cat <<MD
## $TITLE

$(produced_by "Everything on loopback, server and client sharing the cores (but for s_time, pinned apart).")

Both servers use the same CA, server certificate (ECDSA P-256, from \`securecam-pki\`) and client
certificates, and are measured by the same clients (\`securecam-bench\`, \`openssl s_time\`), in turn: A B A B, $ROUNDS rounds,
after $WARMUP_SECONDS s of unrecorded load of the same kind on each (so .NET's tiered JIT has done most of its work).
Cells are the median of the rounds with the lowest and highest round in brackets.
- nginx: \`ssl_verify_client on\`, \`worker_processes auto\`, /snapshot a static file with the same
  $SNAPSHOT_BYTES bytes SecureCam served, /video proxied with \`proxy_buffering off\` to
  \`securecam-bench mjpeg-upstream --camera synthetic\` (SecureCam's camera pipeline over plain HTTP,
  one upstream connection per viewer, as nginx proxies).
$(workload_notes)

\`\`\`
${SECURECAM_ENV:+SECURECAM_ENV="$SECURECAM_ENV" }tools/bench/compare.sh   # VIEWERS=$VIEWERS VIEW_SECONDS=$VIEW_SECONDS HS_SECONDS=$HS_SECONDS HS_CONCURRENCY=$HS_CONCURRENCY ROUNDS=$ROUNDS STARTUP_RUNS=$STARTUP_RUNS WARMUP_SECONDS=$WARMUP_SECONDS STIME_SECONDS=$STIME_SECONDS STIME_CLIENTS=$STIME_CLIENTS SERVER_CPUS=$SERVER_CPUS CLIENT_CPUS=$CLIENT_CPUS WORKLOADS="$TABLE_WORKLOADS"
$(workload_commands)
\`\`\`

$TABLE
MD
)
write_section "$TITLE" "$SECTION"
fi

if has capacity; then
CAP_OFFER_TEXT=${CAP_CIPHER_SUITES:-"the .NET client's default list, TLS_AES_256_GCM_SHA384 first"}
CAP_TITLE="SecureCam vs nginx: viewer capacity per core${SECURECAM_ENV:+, SecureCam with \`$SECURECAM_ENV\`}"
SECTION=$(cat <<MD
## $CAP_TITLE

$(produced_by "Everything on loopback; the servers pinned to CPUs $SERVER_CPUS, the viewers client to CPUs $CLIENT_CPUS (taskset, every thread).")

How many 1280×720, 30 fps viewers each server keeps at a median of $CAP_FPS fps or more on one pinned core.
SecureCam with its synthetic camera (it encodes each frame once, in the same process); nginx as in the
sections above, \`ssl_verify_client on\`, /video proxied with \`proxy_buffering off\` to
\`securecam-bench mjpeg-upstream --camera synthetic\`, nginx's master, workers and the streamer all pinned to
the same CPUs as SecureCam, and counted together as its server CPU. Per server a bisection over
$CAP_MIN…$CAP_MAX viewers in steps of $CAP_STEP, at most $CAP_PROBES probes per server per round; each probe
a fresh set of viewers (\`securecam-bench viewers\`, four client identities in turn), $CAP_WARMUP s of warm-up, then
$CAP_SECONDS s measured. A probe of nginx, then one of SecureCam, in turn (A B A B), $CAP_ROUNDS round(s),
after $WARMUP_SECONDS s of unrecorded viewers on each. The client offers ${CAP_OFFER_TEXT//,/, }
(the negotiated suite is in the probes table). A probe that fails with the client at $CAP_CLIENT_BUSY % or more
of its $CLIENT_CPU_COUNT CPU(s) is **client-bound**: the capacity is then the client's limit, not the server's.

\`\`\`
${SECURECAM_ENV:+SECURECAM_ENV="$SECURECAM_ENV" }WORKLOADS=capacity tools/bench/compare.sh   # CAP_MIN=$CAP_MIN CAP_MAX=$CAP_MAX CAP_STEP=$CAP_STEP CAP_PROBES=$CAP_PROBES CAP_SECONDS=$CAP_SECONDS CAP_WARMUP=$CAP_WARMUP CAP_FPS=$CAP_FPS CAP_ROUNDS=$CAP_ROUNDS CAP_CLIENT_BUSY=$CAP_CLIENT_BUSY WARMUP_SECONDS=$WARMUP_SECONDS SERVER_CPUS=$SERVER_CPUS CLIENT_CPUS=$CLIENT_CPUS
taskset -c $CLIENT_CPUS securecam-bench viewers --url https://127.0.0.1:PORT/video --ca ca.crt --cert C --key K … ${CAP_CIPHER_SUITES:+--cipher-suites $CAP_CIPHER_SUITES }--viewers N --seconds $CAP_SECONDS --warmup $CAP_WARMUP --server-pid PID
\`\`\`

| | nginx + streamer | SecureCam |
|---|---|---|
| viewers at a median ≥ $CAP_FPS fps, per round | ${CAP_RESULT[nginx]} | ${CAP_RESULT[securecam]} |

| round | server | viewers | connected | median fps | p99 frame delay, ms | server CPU, % of one core | client CPU, % of one core | negotiated | ≥ $CAP_FPS fps |
|---|---|---|---|---|---|---|---|---|---|
$(printf '%s\n' "${CAP_ROWS[@]}")
MD
)
write_section "$CAP_TITLE" "$SECTION"
fi

if has ciphers; then
C_A="$R/ciphers-aes128-*.json"; C_B="$R/ciphers-aes256-*.json"; C_C="$R/ciphers-chacha20-*.json"
negotiated() { jq -s -r '[.[] | .negotiated_tls | keys[]] | unique | join(", ")' $1; }
CIPHER_TITLE="SecureCam: the stream's server CPU per frame, by cipher suite${SECURECAM_ENV:+, SecureCam with \`$SECURECAM_ENV\`}"
if [[ $CIPHER_CAMERA == pipe ]]; then
  CAMERA_TEXT="a \`pipe:\` camera replaying the snapshot as MJPEG without encoding (ffmpeg \`-c copy\`, on the client's CPUs; as a child of the server its small CPU is inside the server figure, the same for every suite)"
else
  CAMERA_TEXT="the synthetic camera (its JPEG encoder, 30 frames/s whatever the viewers, is inside the server figure)"
fi
SECTION=$(cat <<MD
## $CIPHER_TITLE

$(produced_by "Everything on loopback; the servers pinned to CPUs $SERVER_CPUS, the viewers client to CPUs $CLIENT_CPUS (taskset, every thread).")

$CIPHER_VIEWERS concurrent mutual-TLS \`GET /video\` viewers of SecureCam with $CAMERA_TEXT, 3 s warm-up, then
$CIPHER_SECONDS s measured, server CPU from /proc over the window divided by the frames delivered. Three runs in
turn (A B C A B C, $ROUNDS rounds, after $WARMUP_SECONDS s of unrecorded viewers on each server):
- AES-128-GCM: \`Server:CipherPreference=aes\` (what \`auto\` picks on a CPU with AES instructions), the .NET
  client's default offer (TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256, TLS_AES_128_GCM_SHA256, then TLS 1.2
  suites): the server's order wins.
- AES-256-GCM: the same server, the client offering TLS_AES_256_GCM_SHA384 only (\`--cipher-suites\`): the suite
  SecureCam negotiated before its cipher order put AES-128-GCM first.
- ChaCha20-Poly1305: \`Server:CipherPreference=chacha20\` (what \`auto\` picks without AES instructions, e.g. a
  Raspberry Pi 4), the client's default offer.

\`openssl s_client\` with the same offer (no \`-ciphersuites\`: OpenSSL's default TLS 1.3 list is the .NET client's)
negotiated: AES-128-GCM run ${CIPHER_SCLIENT[aes128]:-nothing}; AES-256-GCM run ${CIPHER_SCLIENT[aes256]:-nothing}; ChaCha20 run ${CIPHER_SCLIENT[chacha20]:-nothing}.

\`\`\`
${SECURECAM_ENV:+SECURECAM_ENV="$SECURECAM_ENV" }WORKLOADS=ciphers tools/bench/compare.sh   # CIPHER_VIEWERS=$CIPHER_VIEWERS CIPHER_SECONDS=$CIPHER_SECONDS CIPHER_CAMERA=$CIPHER_CAMERA ROUNDS=$ROUNDS WARMUP_SECONDS=$WARMUP_SECONDS SERVER_CPUS=$SERVER_CPUS CLIENT_CPUS=$CLIENT_CPUS
SECURECAM__SERVER__CIPHERPREFERENCE=aes|chacha20 taskset -c $SERVER_CPUS securecam serve --pki DIR --listen https://127.0.0.1:PORT --camera CAMERA
taskset -c $CLIENT_CPUS securecam-bench viewers --url https://127.0.0.1:PORT/video --ca ca.crt --cert C --key K … [--cipher-suites TLS_AES_256_GCM_SHA384] --viewers $CIPHER_VIEWERS --seconds $CIPHER_SECONDS --warmup 3 --server-pid PID
\`\`\`

| measure | AES-128-GCM | AES-256-GCM | ChaCha20-Poly1305 |
|---|---|---|---|
| negotiated (the bench's own connections) | $(negotiated "$C_A") | $(negotiated "$C_B") | $(negotiated "$C_C") |
| server CPU per delivered frame, µs | $(stat "$C_A" .server.cpu_microseconds_per_unit) | $(stat "$C_B" .server.cpu_microseconds_per_unit) | $(stat "$C_C" .server.cpu_microseconds_per_unit) |
|   against AES-128-GCM | 1.00 | $(ratio "$(median "$C_B" .server.cpu_microseconds_per_unit)" "$(median "$C_A" .server.cpu_microseconds_per_unit)") | $(ratio "$(median "$C_C" .server.cpu_microseconds_per_unit)" "$(median "$C_A" .server.cpu_microseconds_per_unit)") |
| server CPU, % of one core | $(stat "$C_A" .server.cpu_percent) | $(stat "$C_B" .server.cpu_percent) | $(stat "$C_C" .server.cpu_percent) |
| median viewer fps | $(stat "$C_A" .viewer_fps.p50) | $(stat "$C_B" .viewer_fps.p50) | $(stat "$C_C" .viewer_fps.p50) |
| frame delay p99, ms | $(stat "$C_A" .delay_ms.p99) | $(stat "$C_B" .delay_ms.p99) | $(stat "$C_C" .delay_ms.p99) |
| MB/s delivered | $(stat "$C_A" .megabytes_per_second) | $(stat "$C_B" .megabytes_per_second) | $(stat "$C_C" .megabytes_per_second) |
| bench client CPU, % of one core | $(stat "$C_A" .client_cpu_percent) | $(stat "$C_B" .client_cpu_percent) | $(stat "$C_C" .client_cpu_percent) |
| viewer errors | $(stat "$C_A" .errors) | $(stat "$C_B" .errors) | $(stat "$C_C" .errors) |
MD
)
write_section "$CIPHER_TITLE" "$SECTION"
fi
# The raw JSON of every run, for a closer look (TestResults/ is not tracked).
rm -rf "$ROOT/TestResults/compare-results" && mkdir -p "$ROOT/TestResults" && cp -r "$R" "$ROOT/TestResults/compare-results"
