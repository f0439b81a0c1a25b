#!/usr/bin/env bash
# SecureCam's one test command: installs the peers the tests need (when run as root and they are
# missing), builds everything, runs every test project, and ends with the line
#   tests: N passed, N failed, N skipped
# Exit code: non-zero when anything failed (build, a test, or a missing peer under CI=true).
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# --- peers: command-or-file, then the Debian package that provides it -------------------------------
peers=(
  "openssl:openssl" "curl:curl" "ffmpeg:ffmpeg" "pebble:pebble" "pebble-challtestsrv:pebble"
  "chromium:chromium" "certutil:libnss3-tools" "pk12util:libnss3-tools" "nginx:nginx-light" "lego:lego"
  "prometheus:prometheus" "ip:iproute2" "ss:iproute2" "gcc:gcc" "zbarimg:zbar-tools" "firefox-esr:firefox-esr" "/usr/include/linux/videodev2.h:linux-libc-dev" "afl-fuzz:afl++"
  "/usr/lib/x86_64-linux-gnu/libturbojpeg.so.0|/usr/lib/aarch64-linux-gnu/libturbojpeg.so.0:libturbojpeg0"
  "clang:clang" "ld.lld:lld" "/usr/include/zlib.h:zlib1g-dev" "dpkg-deb:dpkg" "systemd-analyze:systemd"
  "setpriv:util-linux" "file:file" "python3:python3" "qemu-aarch64-static:qemu-user-static"
  "aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu" "/usr/aarch64-linux-gnu/include/stdio.h:libc6-dev-arm64-cross"
)
missing=()
for entry in "${peers[@]}"; do
  what=${entry%%:*}; pkg=${entry##*:}; found=0
  IFS='|' read -ra alternatives <<<"$what"
  for alt in "${alternatives[@]}"; do
    if [[ $alt == /* ]]; then [[ -e $alt ]] && found=1; else command -v "$alt" >/dev/null 2>&1 && found=1; fi
  done
  [[ $found == 1 ]] || missing+=("$pkg")
done
if ((${#missing[@]})); then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  if [[ $(id -u) == 0 ]]; then
    echo "test.sh: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || echo "test.sh: apt-get install failed for: ${missing[*]}" >&2
  else
    echo "test.sh: missing ${missing[*]} (run as root to install them); tests that need them will skip, or fail under CI=true" >&2
  fi
fi

# --- build --------------------------------------------------------------------------------------------
results=TestResults
rm -rf "$results"; mkdir -p "$results"
if ! dotnet build SecureCam.sln -c Release -nologo -clp:ErrorsOnly; then
  echo "test.sh: build failed" >&2
  echo "tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

# --- test: one project at a time, so timing-sensitive tests do not fight over the two cores -------------
status=0
for project in tests/*.Tests/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  # --blame-hang-timeout bounds a hung test so CI always finishes; the trx file is what we count.
  if ! dotnet test "$project" -c Release --no-build -nologo \
       --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
       --results-directory "$results" --blame-hang-timeout 10m; then
    status=1
  fi
done

# --- fuzz: every parser of untrusted bytes, a few seconds each (longer runs: docs/security.md) ----------------
echo "== fuzz"
if command -v afl-fuzz >/dev/null 2>&1; then
  if tools/fuzz/run.sh all 3 "$results/fuzz"; then fuzz_failed=0; else fuzz_failed=1; status=1; fi
elif [[ ${CI:-} == true ]]; then
  echo "test.sh: afl-fuzz missing under CI=true" >&2; fuzz_failed=1; status=1
else
  echo "test.sh: afl-fuzz missing; fuzzing skipped" >&2; fuzz_failed=0
fi
# --- native: publish the AOT binaries once, the end-to-end suite against them, the .deb, arm64 under qemu ---
RESULTS=$results tools/packaging/test-packaging.sh || status=1

# --- count ----------------------------------------------------------------------------------------------
passed=0 failed=0 skipped=0 files=0
for trx in "$results"/*.trx; do
  [[ -e $trx ]] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout); a=$(get aborted); n=$(get notExecuted)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0})); skipped=$((skipped + ${n:-0}))
done
failed=$((failed + fuzz_failed))
if ((status != 0 && failed == 0)); then failed=1; fi   # a crashed test host leaves no failed count
echo "tests: $passed passed, $failed failed, $skipped skipped"
((status == 0 && failed == 0)) || exit 1
exit 0
