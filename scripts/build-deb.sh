#!/usr/bin/env bash
# Builds a Debian package of open1688: the binary in /usr/bin, the systemd unit of `serve`
# (deploy/open1688@.service), and a system user and settings file made on install. Needs only
# dpkg-deb (every Debian and Ubuntu has it) beside cargo.
#
#   scripts/build-deb.sh                      # release build, then target/debian/open1688_<version>_<arch>.deb
#   OPEN1688_BIN=path/to/open1688 scripts/build-deb.sh   # package a binary built already
#   DEB_COMPRESSION=none|gzip|xz (default xz) DEB_OUT=DIR (default target/debian)
set -euo pipefail
cd "$(dirname "$0")/.."

bin="${OPEN1688_BIN:-}"
if [ -z "$bin" ]; then
  cargo build --release --locked -p open1688-cli
  bin="${CARGO_TARGET_DIR:-target}/release/open1688"
fi
[ -x "$bin" ] || { echo "build-deb: no executable at $bin" >&2; exit 1; }

version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)"
arch="$(dpkg --print-architecture)"
out="${DEB_OUT:-${CARGO_TARGET_DIR:-target}/debian}"
compression="${DEB_COMPRESSION:-xz}"
# The newest glibc symbol version the binary needs is the package's libc6 dependency.
glibc="$(objdump -T "$bin" 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -n1)"
glibc="${glibc:-2.31}"

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
install -D -m 0755 "$bin" "$root/usr/bin/open1688"
# Line tables and symbols are for developers; strip them from what users install.
strip --strip-unneeded "$root/usr/bin/open1688" 2>/dev/null || true
install -D -m 0644 deploy/open1688@.service "$root/lib/systemd/system/open1688@.service"
install -D -m 0644 README.md "$root/usr/share/doc/open1688/README.md"
cat > "$root/usr/share/doc/open1688/copyright" <<'EOF'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: open1688
Source: https://github.com/open1688/open1688

Files: *
License: MIT or Apache-2.0
EOF

mkdir -p "$root/DEBIAN"
installed_kb="$(du -sk "$root" | cut -f1)"
cat > "$root/DEBIAN/control" <<EOF
Package: open1688
Version: $version
Architecture: $arch
Maintainer: open1688 maintainers <open1688@users.noreply.github.com>
Depends: libc6 (>= $glibc)
Recommends: ca-certificates
Section: utils
Priority: optional
Installed-Size: $installed_kb
Homepage: https://github.com/open1688/open1688
Description: sourcing on 1688 from the terminal, your systems and AI agents
 The open1688 command line searches 1688 offers by keyword or picture, reads
 their price tiers, SKUs and MOQ, scores suppliers, decides how many to buy and
 from whom, previews and places orders, and watches prices and stock. Without
 an app key it answers from a built-in sandbox. The serve command is the same as
 an HTTP API with a web dashboard (systemd unit open1688@PORT.service).
EOF

# The service's user, and its settings file (root and the service only), made once; a
# reinstall keeps what the administrator wrote.
cat > "$root/DEBIAN/postinst" <<'EOF'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
  if ! getent passwd open1688 >/dev/null; then
    adduser --system --group --home /var/lib/open1688 --no-create-home --quiet open1688 2>/dev/null \
      || useradd --system --user-group --home-dir /var/lib/open1688 --shell /usr/sbin/nologin open1688
  fi
  install -d -m 0750 -o root -g open1688 /etc/open1688
  if [ ! -e /etc/open1688/env ]; then
    cat > /etc/open1688/env <<'ENV'
# Settings of open1688@PORT.service (see `man systemd.exec`, EnvironmentFile=).
# Without OPEN1688_APP_KEY and OPEN1688_APP_SECRET the service answers from the built-in sandbox.
#OPEN1688_APP_KEY=
#OPEN1688_APP_SECRET=
#OPEN1688_SECRET_KEY=
#DATABASE_URL=postgres://open1688@127.0.0.1/open1688
#REDIS_URL=redis://127.0.0.1:6379
ENV
    chown root:open1688 /etc/open1688/env
    chmod 0640 /etc/open1688/env
  fi
  if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
fi
EOF
cat > "$root/DEBIAN/postrm" <<'EOF'
#!/bin/sh
set -e
if [ "$1" = purge ]; then
  rm -rf /etc/open1688
fi
if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
EOF
chmod 0755 "$root/DEBIAN/postinst" "$root/DEBIAN/postrm"

mkdir -p "$out"
deb="$out/open1688_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Z"$compression" --build "$root" "$deb" >/dev/null
echo "$deb"
