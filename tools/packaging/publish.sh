#!/usr/bin/env bash
# Publishes the three programs as Native AOT binaries for one runtime:
#   tools/packaging/publish.sh RID [OUTDIR [PROGRAM...]]
# RID: linux-x64 | linux-arm64; OUTDIR: artifacts/publish/RID; PROGRAM: securecam securecam-pki
# securecam-collector (all three when none is named).
# Warnings stay errors, so a trim or AOT warning stops the publish. linux-arm64 cross-compiles with
# Debian's clang (--target=aarch64-linux-gnu, which finds gcc-aarch64-linux-gnu's crt files and
# libc6-dev-arm64-cross on its own) and lld.
set -euo pipefail
cd "$(dirname "$0")/../.."
rid=${1:?usage: publish.sh linux-x64|linux-arm64 [OUTDIR]}
out=${2:-artifacts/publish/$rid}
shift $(($# < 2 ? $# : 2))
programs=("$@")
((${#programs[@]})) || programs=(securecam securecam-pki securecam-collector)
case $rid in
  linux-x64) cross=() ;;
  linux-arm64)
    # The ILCompiler links with `clang --target=aarch64-linux-gnu`; the host's GNU ld cannot link aarch64.
    cross=(-p:CppCompilerAndLinker=clang -p:LinkerFlavor=lld) ;;
  *) echo "publish.sh: unknown RID '$rid' (linux-x64 or linux-arm64)" >&2; exit 2 ;;
esac
mkdir -p "$out"
for program in "${programs[@]}"; do
  case $program in
    securecam) project=src/SecureCam.Server ;;
    securecam-pki) project=tools/SecureCam.PkiTool ;;
    securecam-collector) project=tools/SecureCam.Collector ;;
    *) echo "publish.sh: unknown program '$program'" >&2; exit 2 ;;
  esac
  dotnet publish "$project" -c Release -r "$rid" -p:PublishAot=true "${cross[@]}" -o "$out" -nologo -clp:ErrorsOnly
done
# The debug symbols stay out of the package; keep them next to it for crash reports.
mkdir -p "$out/symbols"
mv -f "$out"/*.dbg "$out/symbols/" 2>/dev/null || true
rm -f "$out"/*.pdb
for program in "${programs[@]}"; do ls -l "$out/$program"; done
