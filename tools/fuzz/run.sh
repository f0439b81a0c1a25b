#!/usr/bin/env bash
# Fuzzes SecureCam's parsers of untrusted bytes with AFL++ through SharpFuzz.
#   tools/fuzz/run.sh TARGET|all SECONDS [FINDINGS_DIR]
# TARGET: clienthello jpeg crl telemetry acme proc. Builds tools/fuzz/SecureCam.Fuzz into
# artifacts/fuzz/bin, instruments the SecureCam libraries there with `sharpfuzz` (a dotnet local tool,
# .config/dotnet-tools.json), and runs afl-fuzz for SECONDS per target from tools/fuzz/corpus/TARGET.
# Every crash found is copied to tools/fuzz/crashes/TARGET/ and the script exits non-zero. Those kept
# crashes are regression tests: each run first replays them (`SecureCam.Fuzz TARGET --replay FILE…`) and
# fails while any still crashes.
set -euo pipefail
cd "$(dirname "$0")/../.."
[[ $# -ge 2 ]] || { echo "usage: $0 TARGET|all SECONDS [FINDINGS_DIR]" >&2; exit 2; }
targets=$1 seconds=$2 findings=${3:-artifacts/fuzz/findings}
[[ $targets == all ]] && targets="clienthello jpeg crl telemetry acme proc"
command -v afl-fuzz >/dev/null || { echo "fuzz: afl-fuzz missing (Debian package afl++)" >&2; exit 1; }

bin=artifacts/fuzz/bin
dotnet tool restore >/dev/null
# A fresh folder every run: instrumenting rewrites the libraries in place, so a stale one could be
# instrumented twice or not at all.
rm -rf "$bin"
dotnet publish tools/fuzz/SecureCam.Fuzz -c Release -o "$bin" -nologo -clp:ErrorsOnly >/dev/null
for dll in SecureCam.Acme SecureCam.Camera SecureCam.Network SecureCam.Pki SecureCam.Telemetry; do
  dotnet sharpfuzz "$bin/$dll.dll" >/dev/null
done

status=0
for target in $targets; do
  shopt -s nullglob
  kept=(tools/fuzz/crashes/"$target"/*)
  shopt -u nullglob
  # Replayed with the uninstrumented build: instrumented code expects AFL's shared memory.
  if ((${#kept[@]})) && ! dotnet "tools/fuzz/SecureCam.Fuzz/bin/Release/net10.0/SecureCam.Fuzz.dll" "$target" --replay "${kept[@]}"; then
    echo "fuzz: $target: a kept crash in tools/fuzz/crashes/$target/ still crashes" >&2
    status=1
  fi

  out=$findings/$target
  rm -rf "$out"; mkdir -p "$out"
  echo "fuzz: $target for ${seconds}s"
  # No UI, quick calibration, no CPU-governor or core-pattern checks (CI machines and containers), a
  # generous per-input timeout (the .NET runtime is slow to start), no memory limit (the runtime reserves
  # a lot of address space).
  AFL_NO_UI=1 AFL_FAST_CAL=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 \
    afl-fuzz -V "$seconds" -i "tools/fuzz/corpus/$target" -o "$out" -t 10000 -m none -- dotnet "$bin/SecureCam.Fuzz.dll" "$target" \
    >"$out/afl.log" 2>&1 || { echo "fuzz: afl-fuzz failed for $target:" >&2; tail -20 "$out/afl.log" >&2; status=1; continue; }
  stats=$out/default/fuzzer_stats
  [[ -e $stats ]] && echo "fuzz: $target: $(grep -E '^execs_done' "$stats" | tr -s ' '), $(grep -E '^corpus_count' "$stats" | tr -s ' ')"
  shopt -s nullglob
  crashes=("$out"/default/crashes/id:*)
  shopt -u nullglob
  if ((${#crashes[@]})); then
    mkdir -p "tools/fuzz/crashes/$target"
    for crash in "${crashes[@]}"; do
      cp "$crash" "tools/fuzz/crashes/$target/$(sha256sum "$crash" | cut -c1-16)"
    done
    echo "fuzz: $target: ${#crashes[@]} crash(es) copied to tools/fuzz/crashes/$target/" >&2
    status=1
  fi
done
exit $status
