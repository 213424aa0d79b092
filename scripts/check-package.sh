#!/usr/bin/env bash
# Checks a Debian package of mofan without installing it:
#
#   bash scripts/check-package.sh PACKAGE.deb [DIR]
#
# Its metadata and dependencies (dpkg-deb -I), its file list, its desktop entry
# (desktop-file-validate), the command line from an extracted copy (--version, and a real
# database written by it), and that the desktop binary finds every library it links. The
# package is extracted into DIR (default: a new temporary folder), whose path the last
# line prints: the end-to-end tests then start the package's own desktop binary from there
# (scripts/test.sh), which is how its first start under Xvfb is checked.
set -euo pipefail

deb="${1:?usage: check-package.sh PACKAGE.deb [DIR]}"
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${2:-$(mktemp -d)}"
version="$(node -p "require('$root/src-tauri/tauri.conf.json').version")"
failures=0

fail() { printf '  FAIL %s\n' "$*" >&2; failures=$((failures + 1)); }
pass() { printf '  ok   %s\n' "$*"; }
field() { dpkg-deb -f "$deb" "$1"; }
expect_field() {
  local name="$1" want="$2" got
  got="$(field "$name")"
  if [ "$got" = "$want" ]; then pass "$name: $got"; else fail "$name: '$got', expected '$want'"; fi
}
expect_in_field() {
  local name="$1" want="$2" got
  got="$(field "$name")"
  if printf '%s\n' "$got" | grep -qF -- "$want"; then pass "$name has $want"; else fail "$name lacks '$want': $got"; fi
}

echo "==> metadata (dpkg-deb -I)"
dpkg-deb -I "$deb" >/dev/null || fail "dpkg-deb cannot read $deb"
expect_field Package mofan
expect_field Version "$version"
expect_field Architecture "$(dpkg --print-architecture)"
expect_field Section misc
expect_in_field Depends libwebkit2gtk-4.1-0
expect_in_field Depends libgtk-3-0
expect_in_field Recommends fonts-noto-cjk
expect_in_field Description 模范机关评选
expect_in_field Description 'model agency selection'
expect_in_field Description 机关工委年度模范机关创建评选
expect_in_field Description 'Annual model agency'
expect_in_field Maintainer 'mofan developers'
# The package name is what apt and dpkg know it by: lower-case letters, digits, + - .
if field Package | grep -qE '^[a-z0-9][a-z0-9+.-]+$'; then pass "package name is a valid Debian name"; else fail "package name is not a valid Debian name"; fi

echo "==> files (dpkg-deb -c)"
listing="$(dpkg-deb -c "$deb" | awk '{print $NF}' | sed -E 's#^\./##; s#^/*#/#; s#(.)/$#\1#')"
expect_file() {
  if printf '%s\n' "$listing" | grep -qxF -- "$1"; then pass "$1"; else fail "missing $1"; fi
}
expect_file /usr/bin/mofan-desktop
expect_file /usr/bin/mofan
expect_file /usr/share/applications/mofan.desktop
expect_file /usr/share/doc/mofan/copyright
for size in 16 24 32 48 64 128 256 512; do
  expect_file "/usr/share/icons/hicolor/${size}x${size}/apps/mofan-desktop.png"
done
unexpected="$(printf '%s\n' "$listing" | grep -v -E '^/usr/(bin|share/applications|share/icons|share/doc/mofan)(/|$)|^/usr$|^/usr/share$|^/usr/share/doc$|^/$' || true)"
if [ -z "$unexpected" ]; then pass "nothing outside /usr/bin, /usr/share/{applications,icons,doc/mofan}"; else fail "unexpected files: $unexpected"; fi

echo "==> extracted copy in $dir"
rm -rf "$dir/root"
mkdir -p "$dir/root"
dpkg-deb -x "$deb" "$dir/root"
for size in 16 24 32 48 64 128 256 512; do
  icon="$dir/root/usr/share/icons/hicolor/${size}x${size}/apps/mofan-desktop.png"
  [ -f "$icon" ] || continue
  got="$(identify -format '%wx%h' "$icon" 2>/dev/null || echo '?')"
  if [ "$got" = "${size}x${size}" ]; then pass "icon ${size}x${size} is ${got}"; else fail "icon ${size}x${size} is ${got}"; fi
done

desktop="$dir/root/usr/share/applications/mofan.desktop"
if [ -f "$desktop" ]; then
  if out="$(desktop-file-validate "$desktop" 2>&1)" && [ -z "$out" ]; then pass "desktop-file-validate: no complaint"; else fail "desktop-file-validate: $out"; fi
  for line in 'Name=模范机关评选' 'Categories=Office;' 'Exec=mofan-desktop' 'Icon=mofan-desktop' 'Type=Application'; do
    if grep -qxF -- "$line" "$desktop"; then pass "desktop entry: $line"; else fail "desktop entry lacks $line"; fi
  done
fi

cli="$dir/root/usr/bin/mofan"
if [ -x "$cli" ]; then
  got="$("$cli" --version 2>&1 || true)"
  if [ "$got" = "mofan $version" ]; then pass "mofan --version: $got"; else fail "mofan --version: '$got', expected 'mofan $version'"; fi
  db="$dir/check.db"
  rm -f "$db"
  if "$cli" --db "$db" campaign create --year 2026 >/dev/null 2>&1 &&
    "$cli" --db "$db" campaign list 2>/dev/null | grep -q 2026; then
    pass "mofan from the package creates and reads a campaign"
  else
    fail "mofan from the package cannot create a campaign"
  fi
fi

app="$dir/root/usr/bin/mofan-desktop"
if [ -x "$app" ]; then
  missing="$(ldd "$app" | grep 'not found' || true)"
  if [ -z "$missing" ]; then pass "mofan-desktop: every linked library found"; else fail "mofan-desktop: $missing"; fi
fi

if [ "$failures" -gt 0 ]; then
  printf '\n失败 / FAILED: %s check(s) of %s\n' "$failures" "$deb" >&2
  exit 1
fi
printf '\npackage ok: %s (%s)\n' "$deb" "$(du -h "$deb" | cut -f1)"
echo "$app"
