#!/usr/bin/env bash
# The native and packaging part of test.sh, runnable alone:
#   tools/packaging/test-packaging.sh [aot] [deb] [arm64]     (all three when none is named)
#   aot    publish securecam, securecam-pki, securecam-collector once (Release, linux-x64, Native AOT,
#          warnings are errors) and run the end-to-end suite against those binaries
#   deb    build the amd64 package, check the unit (systemd-analyze verify, security <= 2.5), install it,
#          make a PKI with the installed securecam-pki, run the installed server as user securecam
#          (Type=notify: READY=1 is checked), fetch a snapshot with curl, upgrade, remove, purge (root only)
#   arm64  cross-publish for linux-arm64 and, under qemu-user, make a CA, issue certificates and serve a
#          snapshot to curl over mutual TLS
# Results go to $RESULTS (default TestResults) as Packaging.trx (counted by test.sh) and the end-to-end
# run's own trx. Exit code non-zero when a check failed. With CI=true a missing prerequisite fails.
set -uo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
results=${RESULTS:-TestResults}
mkdir -p "$results"
sections=("$@")
((${#sections[@]})) || sections=(aot deb arm64)
passed=0 failed=0 skipped=0
work=$(mktemp -d /tmp/securecam-packaging.XXXXXX)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

pass() { passed=$((passed + 1)); echo "  ok    $1"; }
fail() { failed=$((failed + 1)); echo "  FAIL  $1"; [[ -n ${2:-} ]] && sed 's/^/        /' <<<"$2" | tail -40; }
skip() {
  if [[ ${CI:-} == true || ${CI:-} == 1 ]]; then fail "$1 (CI=true: $2)"; else skipped=$((skipped + 1)); echo "  skip  $1 ($2)"; fi
}
# check NAME COMMAND...: passes when COMMAND exits 0; its output is shown on failure.
check() {
  local name=$1 out; shift
  if out=$("$@" 2>&1); then pass "$name"; else fail "$name" "$out"; fi
}
# wait_for SECONDS COMMAND...: polls COMMAND until it succeeds or the deadline passes.
wait_for() {
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do ((SECONDS < deadline)) || return 1; sleep 0.2; done
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
is_jpeg() { [[ $(head -c 2 "$1" | od -An -tx1 | tr -d ' \n') == ffd8 ]]; }
as_securecam() { setpriv --reuid=securecam --regid=securecam --init-groups env HOME=/var/lib/securecam "$@"; }

# --- aot ------------------------------------------------------------------------------------------------
section_aot() {
  echo "== native (AOT) linux-x64"
  local bin=artifacts/publish/linux-x64 log=$work/publish-x64.log
  if tools/packaging/publish.sh linux-x64 "$bin" >"$log" 2>&1; then
    pass "publish linux-x64 Native AOT with zero trim/AOT warnings"
  else
    fail "publish linux-x64 Native AOT with zero trim/AOT warnings" "$(cat "$log")"; return
  fi
  check "securecam is a native ELF, no managed entry point" sh -c "file -b $bin/securecam | grep -q 'ELF 64-bit.*x86-64' && ! test -e $bin/securecam.dll"
  # The suite is built by test.sh's build step; build it here when run alone.
  [[ -e tests/SecureCam.EndToEnd.Tests/bin/Release/net10.0/SecureCam.EndToEnd.Tests.dll ]] \
    || dotnet build tests/SecureCam.EndToEnd.Tests -c Release -nologo -clp:ErrorsOnly >/dev/null
  echo "== SecureCam.EndToEnd.Tests against the native binaries"
  # The README test runs `dotnet run` on the sources; every other end-to-end test runs the binaries.
  if SECURECAM_E2E_BIN_DIR=$PWD/$bin dotnet test tests/SecureCam.EndToEnd.Tests -c Release --no-build -nologo \
       --filter "FullyQualifiedName!~The_readme_run_command" \
       --logger "trx;LogFileName=SecureCam.EndToEnd.Tests.Native.trx" --logger "console;verbosity=minimal" \
       --results-directory "$results" --blame-hang-timeout 10m; then
    echo "  (counted from SecureCam.EndToEnd.Tests.Native.trx)"
  else
    e2e_failed=1
  fi
}

# --- deb ------------------------------------------------------------------------------------------------
section_deb() {
  echo "== Debian package amd64"
  local score
  score=$(systemd-analyze security --offline=true tools/packaging/securecam.service 2>&1 | sed -n 's/.*Overall exposure level for securecam.service: \([0-9.]*\).*/\1/p')
  if [[ -n $score ]] && awk -v s="$score" 'BEGIN { exit !(s <= 2.5) }'; then
    pass "systemd-analyze security --offline=true rates the unit $score (<= 2.5)"
  else
    fail "systemd-analyze security --offline=true rates the unit ${score:-?} (<= 2.5)" "$(systemd-analyze security --offline=true tools/packaging/securecam.service 2>&1 | tail -30)"
  fi
  if [[ $(id -u) != 0 ]]; then skip "install, run as securecam, purge" "needs root"; return; fi
  if dpkg -s securecam >/dev/null 2>&1; then skip "install, run as securecam, purge" "a securecam package is already installed here"; return; fi
  local deb log=$work/deb.log
  if deb=$(SECURECAM_VERSION=0.1.0 tools/packaging/build-deb.sh amd64 2>"$log"); then pass "build-deb.sh amd64 -> $deb"; else fail "build-deb.sh amd64" "$(cat "$log")"; return; fi
  check "the package holds the three binaries, the unit, the conffile and the docs" sh -c "
    dpkg-deb -c $deb | grep -q ' ./usr/bin/securecam\$' && dpkg-deb -c $deb | grep -q ' ./usr/bin/securecam-pki\$' &&
    dpkg-deb -c $deb | grep -q ' ./usr/bin/securecam-collector\$' && dpkg-deb -c $deb | grep -q ' ./lib/systemd/system/securecam.service\$' &&
    dpkg-deb -c $deb | grep -q ' ./usr/share/doc/securecam/README.md\$' && dpkg-deb -I $deb conffiles | grep -qx /etc/securecam/appsettings.json"

  local out
  out=$(DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" 2>&1)
  if [[ $? == 0 ]]; then pass "apt-get install ./$deb"; else fail "apt-get install ./$deb" "$out"; return; fi
  check "install makes no CA and prints the next three commands" sh -c '
    test ! -e /var/lib/securecam/pki/ca.crt && printf "%s" "$1" | grep -q "1\. sudo -u securecam securecam-pki --pki /var/lib/securecam/pki init" &&
    printf "%s" "$1" | grep -q "2\. sudo -u securecam securecam-pki --pki /var/lib/securecam/pki issue-server server" &&
    printf "%s" "$1" | grep -q "3\. sudo systemctl enable --now securecam"' _ "$out"
  check "system user securecam in group video, PKI home 0700" sh -c 'id -nG securecam | grep -qw video && test "$(stat -c %U:%a /var/lib/securecam/pki)" = securecam:700'
  check "systemd-analyze verify: the installed unit is clean" sh -c 'out=$(systemd-analyze verify /lib/systemd/system/securecam.service 2>&1); test -z "$out" || { echo "$out"; false; }'

  local pki=/var/lib/securecam/pki
  make_pki() {
    cd /var/lib/securecam || return 1
    as_securecam env SECURECAM_PKI_PASSPHRASE=packaging-test securecam-pki --pki $pki init &&
      as_securecam env SECURECAM_PKI_PASSPHRASE=packaging-test securecam-pki --pki $pki issue-server server --dns localhost --ip 127.0.0.1 &&
      as_securecam env SECURECAM_PKI_PASSPHRASE=packaging-test securecam-pki --pki $pki issue-client viewer --p12-password packaging-test &&
      test "$(stat -c %U:%a $pki/ca.key)" = securecam:600
  }
  check "installed securecam-pki makes the CA and certificates as user securecam" make_pki

  # As the unit runs it: user securecam in /var/lib/securecam, --config /etc/securecam/appsettings.json,
  # started by a parent named "systemd" that listens on NOTIFY_SOCKET (how the host knows it runs under
  # systemd), so READY=1 and the journald log format are what the service really does.
  local port notify=$work/notify.sock
  port=$(free_port)
  chmod 0755 "$work"
  (cd /var/lib/securecam && exec python3 - "$notify" setpriv --reuid=securecam --regid=securecam --init-groups \
     env HOME=/var/lib/securecam SECURECAM__SERVER__LISTEN="https://127.0.0.1:$port" \
     /usr/bin/securecam serve --config /etc/securecam/appsettings.json >"$work/server.log" 2>"$work/notify.txt" <<'PY'
import ctypes, os, signal, socket, subprocess, sys
path, command = sys.argv[1], sys.argv[2:]
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
os.chmod(path, 0o777)
ctypes.CDLL(None).prctl(15, b"systemd", 0, 0, 0)  # PR_SET_NAME: the parent the host looks for
child = subprocess.Popen(command, env=dict(os.environ, NOTIFY_SOCKET=path), stdin=subprocess.DEVNULL, stderr=subprocess.STDOUT)
signal.signal(signal.SIGTERM, lambda *_: child.send_signal(signal.SIGTERM))
sock.settimeout(0.5)
while child.poll() is None:
    try:
        print(sock.recv(4096).decode(), file=sys.stderr, flush=True)
    except (socket.timeout, InterruptedError):
        pass
print("exit", child.returncode, file=sys.stderr, flush=True)
PY
  ) &
  local server=$!; pids+=("$server")
  local curl=(curl -sS --max-time 10 --cacert $pki/ca.crt --cert $pki/issued/viewer/cert.pem --key $pki/issued/viewer/key.pem)
  if wait_for 60 grep -q "READY=1" "$work/notify.txt"; then pass "the installed server tells systemd READY=1 (Type=notify)"; else fail "the installed server tells systemd READY=1 (Type=notify)" "$(cat "$work/notify.txt" "$work/server.log")"; fi
  if wait_for 30 "${curl[@]}" -o "$work/snap.jpg" "https://127.0.0.1:$port/snapshot" && is_jpeg "$work/snap.jpg"; then
    pass "the installed server, run as securecam, serves a JPEG to curl over mutual TLS"
  else
    fail "the installed server, run as securecam, serves a JPEG to curl over mutual TLS" "$(cat "$work/server.log")"
  fi
  check "its logs are journald lines with a syslog priority (<6>…), no console colours" sh -c "grep -q '^<[0-7]>' $work/server.log && ! grep -q $'\e\\[' $work/server.log"
  check "securecam doctor knows the installed layout (the PKI in /var/lib/securecam/pki)" sh -c "
    cd / && /usr/bin/securecam doctor --ntp off --json | grep -q '\"path\": \"$pki/issued/server/cert.pem\"'"
  kill -TERM "$server" 2>/dev/null; wait "$server" 2>/dev/null
  check "on SIGTERM it tells systemd STOPPING=1 and exits 0" sh -c "grep -q STOPPING=1 $work/notify.txt && grep -q 'exit 0' $work/notify.txt"

  # Upgrade: an edited conffile and the PKI stay.
  sed -i 's/"ServerCertificateName": "server"/"ServerCertificateName": "server", "MaxConnections": 64/' /etc/securecam/appsettings.json
  local ca_before; ca_before=$(sha256sum $pki/ca.key)
  if deb=$(SECURECAM_VERSION=0.1.1 SECURECAM_PUBLISH_DIR=artifacts/publish/linux-x64 tools/packaging/build-deb.sh amd64 2>"$log") &&
     out=$(DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Options::=--force-confold "./$deb" 2>&1); then
    check "upgrade to 0.1.1 keeps the PKI and the edited settings, and prints no set-up again" sh -c '
      test "$(dpkg-query -W -f="\${Version}" securecam)" = 0.1.1 && test "$(sha256sum '"$pki"'/ca.key)" = "$1" &&
      grep -q "\"MaxConnections\": 64" /etc/securecam/appsettings.json && ! printf "%s" "$2" | grep -q "made no CA"' _ "$ca_before" "$out"
  else
    fail "upgrade to 0.1.1" "$out$(cat "$log")"
  fi
  out=$(DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq securecam 2>&1)
  check "remove keeps the PKI and says so" sh -c 'test -e '"$pki"'/ca.key && test ! -e /usr/bin/securecam && printf "%s" "$1" | grep -q "kept /var/lib/securecam"' _ "$out"
  out=$(DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq securecam 2>&1)
  check "purge says what it deletes and deletes it" sh -c 'test ! -e /var/lib/securecam && test ! -e /etc/securecam && printf "%s" "$1" | grep -q "purge deletes /var/lib/securecam"' _ "$out"
  rm -f artifacts/securecam_0.1.1_amd64.deb
}

# --- arm64 ----------------------------------------------------------------------------------------------
section_arm64() {
  echo "== linux-arm64 (Raspberry Pi OS 64-bit) under qemu-user"
  local qemu; qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64)
  if [[ -z $qemu ]]; then skip "arm64 under qemu" "qemu-user-static is not installed"; return; fi
  if [[ ! -e /usr/lib/aarch64-linux-gnu/libssl.so.3 || ! -e /usr/lib/aarch64-linux-gnu/libz.so ]] && [[ $(id -u) == 0 ]]; then
    echo "  installing arm64 libraries from Debian multiarch (libc6, libssl3, zlib1g-dev)"
    { dpkg --add-architecture arm64 && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        libc6:arm64 libssl3:arm64 zlib1g-dev:arm64; } >"$work/apt-arm64.log" 2>&1
  fi
  if [[ ! -e /usr/lib/aarch64-linux-gnu/libssl.so.3 || ! -e /usr/lib/aarch64-linux-gnu/libz.so ]]; then
    skip "arm64 under qemu" "arm64 libraries missing: dpkg --add-architecture arm64 && apt-get install libc6:arm64 libssl3:arm64 zlib1g-dev:arm64"; return
  fi
  local bin=${SECURECAM_ARM64_BIN_DIR:-artifacts/publish/linux-arm64} log=$work/publish-arm64.log
  # SECURECAM_ARM64_BIN_DIR: binaries published before (to run this section alone without the slow publish).
  if [[ -n ${SECURECAM_ARM64_BIN_DIR:-} ]]; then
    echo "  (using the binaries in $bin)"
  elif tools/packaging/publish.sh linux-arm64 "$bin" securecam securecam-pki >"$log" 2>&1; then
    pass "cross-publish linux-arm64 Native AOT (clang --target=aarch64-linux-gnu, lld)"
  else
    fail "cross-publish linux-arm64 Native AOT" "$(cat "$log")"; return
  fi
  bin=$(realpath "$bin")
  check "the binaries are aarch64 ELF" sh -c "file -b $bin/securecam | grep -q 'ARM aarch64' && file -b $bin/securecam-pki | grep -q 'ARM aarch64'"
  local pki=$work/arm64-pki run=("$qemu")
  check "arm64 securecam-pki makes a CA and issues a server and a client certificate" sh -c "
    $qemu $bin/securecam-pki --pki $pki init --no-passphrase &&
    $qemu $bin/securecam-pki --pki $pki issue-server server --dns localhost --ip 127.0.0.1 &&
    $qemu $bin/securecam-pki --pki $pki issue-client viewer --p12-password arm64-test && test -s $pki/issued/viewer/key.pem"
  local port; port=$(free_port)
  (cd "$work" && exec "$qemu" "$bin/securecam" serve --pki "$pki" --listen "https://127.0.0.1:$port" --camera synthetic >"$work/arm64.log" 2>&1) &
  local server=$!; pids+=("$server")
  local curl=(curl -sS --max-time 20 --cacert "$pki/ca.crt" --cert "$pki/issued/viewer/cert.pem" --key "$pki/issued/viewer/key.pem")
  if wait_for 120 "${curl[@]}" -o "$work/arm64.jpg" "https://127.0.0.1:$port/snapshot" && is_jpeg "$work/arm64.jpg"; then
    pass "arm64 securecam serves a JPEG snapshot to curl over mutual TLS"
  else
    fail "arm64 securecam serves a JPEG snapshot to curl over mutual TLS" "$(cat "$work/arm64.log")"
  fi
  # Refused in the TLS handshake or with 401/403: anything but a snapshot, and not "nothing listens" (7).
  check "arm64 securecam refuses curl without a client certificate" sh -c "
    code=\$(curl -sS --max-time 20 --cacert $pki/ca.crt -o /dev/null -w '%{http_code}' https://127.0.0.1:$port/snapshot); rc=\$?
    test \$rc != 7 && test \"\$code\" != 200"
  kill -INT "$server" 2>/dev/null; wait "$server" 2>/dev/null
}

e2e_failed=0
for section in "${sections[@]}"; do
  case $section in
    aot) section_aot ;;
    deb) section_deb ;;
    arm64) section_arm64 ;;
    *) echo "test-packaging.sh: unknown section '$section' (aot, deb, arm64)" >&2; exit 2 ;;
  esac
done

total=$((passed + failed + skipped))
cat >"$results/Packaging.trx" <<TRX
<?xml version="1.0" encoding="UTF-8"?>
<TestRun name="tools/packaging/test-packaging.sh" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
  <ResultSummary outcome="$( ((failed)) && echo Failed || echo Completed)">
    <Counters total="$total" executed="$((passed + failed))" passed="$passed" failed="$failed" error="0" timeout="0" aborted="0" inconclusive="0" passedButRunAborted="0" notRunnable="0" notExecuted="$skipped" disconnected="0" warning="0" completed="0" inProgress="0" pending="0" />
  </ResultSummary>
</TestRun>
TRX
echo "packaging: $passed passed, $failed failed, $skipped skipped"
((failed == 0 && e2e_failed == 0))
