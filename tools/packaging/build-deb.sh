#!/usr/bin/env bash
# Builds the Debian package: tools/packaging/build-deb.sh amd64|arm64
#   -> artifacts/securecam_VERSION_ARCH.deb  (VERSION: $SECURECAM_VERSION, else 0.1.0)
# Uses the binaries in artifacts/publish/RID when they are there (test.sh publishes them once), else
# publishes them (tools/packaging/publish.sh). Needs dpkg-deb only; runs as any user (--root-owner-group).
set -euo pipefail
cd "$(dirname "$0")/../.."
arch=${1:?usage: build-deb.sh amd64|arm64}
case $arch in
  amd64) rid=linux-x64 ;;
  arm64) rid=linux-arm64 ;;
  *) echo "build-deb.sh: unknown architecture '$arch' (amd64 or arm64)" >&2; exit 2 ;;
esac
version=${SECURECAM_VERSION:-0.1.0}
publish=${SECURECAM_PUBLISH_DIR:-artifacts/publish/$rid}
if [[ ! -x $publish/securecam || ! -x $publish/securecam-pki || ! -x $publish/securecam-collector ]]; then
  tools/packaging/publish.sh "$rid" "$publish"
fi

stage=artifacts/deb/securecam_${version}_$arch
rm -rf "$stage"
install -d "$stage/DEBIAN" "$stage/usr/bin" "$stage/lib/systemd/system" "$stage/etc/securecam" "$stage/usr/share/doc/securecam"
for program in securecam securecam-pki securecam-collector; do
  install -m 0755 "$publish/$program" "$stage/usr/bin/$program"
done
install -m 0644 tools/packaging/securecam.service "$stage/lib/systemd/system/securecam.service"
install -m 0644 tools/packaging/appsettings.json "$stage/etc/securecam/appsettings.json"
install -m 0644 README.md docs/*.md tools/packaging/acme-ports.conf "$stage/usr/share/doc/securecam/"
install -m 0755 tools/packaging/debian/postinst tools/packaging/debian/prerm tools/packaging/debian/postrm "$stage/DEBIAN/"
echo /etc/securecam/appsettings.json >"$stage/DEBIAN/conffiles"
size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
cat >"$stage/DEBIAN/control" <<CONTROL
Package: securecam
Version: $version
Architecture: $arch
Maintainer: SecureCam maintainers <securecam@localhost>
Installed-Size: $size
Depends: libc6 (>= 2.31), libssl3 | libssl3t64, adduser
Recommends: ca-certificates, libturbojpeg0
Suggests: ffmpeg
Section: video
Priority: optional
Homepage: https://github.com/securecam/securecam
Description: camera server that only its owner's devices can see
 SecureCam turns a Linux box with a camera (a Raspberry Pi, a PC with a USB
 webcam) into an HTTPS camera server with mutual TLS: every viewer presents a
 client certificate made by the owner's own local CA (securecam-pki).
 Includes securecam (the server and a hardened systemd unit), securecam-pki
 (the CA tool) and securecam-collector (DTLS telemetry receiver).
CONTROL
mkdir -p artifacts
deb=artifacts/securecam_${version}_$arch.deb
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "$deb"
