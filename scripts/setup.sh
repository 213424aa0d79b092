# shellcheck shell=bash
# Shared set-up for scripts/start.sh and scripts/test.sh (sourced, not run).
# Installs only what is missing, never asks questions, and can be run any number of times.
#
# Needs, and checks for: a Rust toolchain (>= 1.85, by rustup) and Node.js >= 20.19 with npm.
# Installs: the Debian packages below, tauri-driver (cargo), ui/ and e2e/ npm dependencies.

MOFAN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export MOFAN_ROOT

MOFAN_APT_PACKAGES=(
  build-essential pkg-config libssl-dev
  libwebkit2gtk-4.1-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev libgtk-3-dev
  librsvg2-dev libayatana-appindicator3-dev
  xvfb xauth webkit2gtk-driver fonts-noto-cjk imagemagick
  # Notice layout tests (tests/it/notice_layout.rs): .docx → PDF, PDF text positions and
  # pixels, and the 楷体 substitute of tests/fixtures/notice/fonts.conf.
  libreoffice-writer poppler-utils fonts-arphic-ukai
  # The package check (scripts/check-package.sh): the desktop entry's validator.
  desktop-file-utils
)

# Cargo-installed tools (tauri-driver) live here.
if [ -d "${CARGO_HOME:-$HOME/.cargo}/bin" ]; then
  PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
fi
export PATH

mofan_log() { printf '\n==> %s\n' "$*"; }
mofan_die() { printf '\n错误 / error: %s\n' "$*" >&2; exit 1; }

mofan_as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    mofan_die "需要 root 或 sudo 来安装系统软件包 / root or sudo is needed to install: $*"
  fi
}

mofan_pkg_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

mofan_install_apt() {
  command -v dpkg-query >/dev/null 2>&1 || mofan_die "not a Debian system: install the equivalents of ${MOFAN_APT_PACKAGES[*]} by hand"
  local missing=() pkg
  for pkg in "${MOFAN_APT_PACKAGES[@]}"; do
    mofan_pkg_installed "$pkg" || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    echo "system packages: all present"
    return
  fi
  mofan_log "installing system packages: ${missing[*]}"
  mofan_as_root env DEBIAN_FRONTEND=noninteractive apt-get update
  mofan_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

mofan_check_toolchains() {
  command -v cargo >/dev/null 2>&1 ||
    mofan_die "未找到 Rust 工具链 / no Rust toolchain: install it with rustup (Rust >= 1.85), then run again"
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
    mofan_die "未找到 Node.js / no Node.js: install Node.js >= 20.19 with npm, then run again"
  local v major minor
  v="$(node --version)"; v="${v#v}"
  major="${v%%.*}"; minor="${v#*.}"; minor="${minor%%.*}"
  if [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 19 ]; }; then
    mofan_die "Node.js $v 太旧 / too old: Vite needs Node.js >= 20.19"
  fi
}

# rustfmt and clippy, for the test script.
mofan_install_rust_components() {
  if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
    command -v rustup >/dev/null 2>&1 || mofan_die "cargo fmt / cargo clippy missing and no rustup to add them"
    mofan_log "adding rustfmt and clippy"
    rustup component add rustfmt clippy
  fi
}

mofan_install_tauri_driver() {
  if command -v tauri-driver >/dev/null 2>&1; then
    echo "tauri-driver: $(command -v tauri-driver)"
    return
  fi
  mofan_log "installing tauri-driver (cargo install tauri-driver --locked)"
  cargo install tauri-driver --locked
}

# npm ci in $1 unless node_modules already matches package-lock.json.
mofan_npm_ci() {
  local dir="$1" stamp want
  stamp="$dir/node_modules/.mofan-lock.sha256"
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "npm dependencies of ${dir#"$MOFAN_ROOT"/}: up to date"
    return
  fi
  mofan_log "npm ci in ${dir#"$MOFAN_ROOT"/}"
  (cd "$dir" && npm ci --no-audit --no-fund)
  echo "$want" >"$stamp"
}

# Everything both scripts need.
mofan_setup() {
  mofan_log "checking prerequisites"
  mofan_install_apt
  mofan_check_toolchains
  mofan_install_tauri_driver
  mofan_npm_ci "$MOFAN_ROOT/ui"
  mofan_npm_ci "$MOFAN_ROOT/e2e"
}

# The directory cargo builds into ($CARGO_TARGET_DIR or target/).
mofan_target_dir() {
  local dir="${CARGO_TARGET_DIR:-$MOFAN_ROOT/target}"
  case "$dir" in /*) ;; *) dir="$MOFAN_ROOT/$dir" ;; esac
  echo "$dir"
}

# Builds the UI (vue-tsc + vite, as the CLI's beforeBuildCommand) and the desktop binary
# with the UI embedded: <target>/debug/mofan-desktop.
mofan_build_desktop() {
  mofan_log "building the desktop app (tauri build --debug --no-bundle)"
  (cd "$MOFAN_ROOT/ui" &&
    timeout --kill-after=30 "${MOFAN_BUILD_TIMEOUT:-2400}" \
      node scripts/tauri.mjs build --debug --no-bundle --ci) ||
    mofan_die "desktop build failed"
  MOFAN_DESKTOP_BIN="$(mofan_target_dir)/debug/mofan-desktop"
  [ -x "$MOFAN_DESKTOP_BIN" ] || mofan_die "build finished but $MOFAN_DESKTOP_BIN is missing"
  export MOFAN_DESKTOP_BIN
}

# The release desktop binary with the UI embedded, <target>/release/mofan-desktop: what
# scripts/start.sh runs, so that what a new user sees first is the real speed.
mofan_build_release() {
  if [ ! -x "$(mofan_target_dir)/release/mofan-desktop" ]; then
    mofan_log "building the release desktop app for the first time: about 12 minutes on a 2-core machine (later builds take seconds)"
  else
    mofan_log "building the release desktop app (tauri build --no-bundle)"
  fi
  (cd "$MOFAN_ROOT/ui" &&
    timeout --kill-after=30 "${MOFAN_BUILD_TIMEOUT:-2400}" \
      node scripts/tauri.mjs build --no-bundle --ci) ||
    mofan_die "desktop build failed"
  MOFAN_DESKTOP_BIN="$(mofan_target_dir)/release/mofan-desktop"
  [ -x "$MOFAN_DESKTOP_BIN" ] || mofan_die "build finished but $MOFAN_DESKTOP_BIN is missing"
  export MOFAN_DESKTOP_BIN
}

# The version every package and binary carries (src-tauri/tauri.conf.json).
mofan_version() {
  node -p "require('$MOFAN_ROOT/src-tauri/tauri.conf.json').version"
}

# The Debian package: the release command line, then the release desktop app bundled by
# Tauri's bundler with it (src-tauri/tauri.linux.conf.json holds the package's settings).
# Sets MOFAN_DEB to the package and MOFAN_DESKTOP_BIN to the release binary it holds.
mofan_build_package() {
  local target cli version extra
  target="$(mofan_target_dir)"
  version="$(mofan_version)"
  if [ ! -x "$target/release/mofan-desktop" ]; then
    mofan_log "building the package for the first time: about 12 minutes on a 2-core machine"
  fi
  # Built with the features of the whole package (`--workspace`, and the desktop's
  # custom-protocol that the Tauri CLI turns on below), so that every crate the two binaries
  # share — the core and its dependencies — is compiled once: built for the command line
  # alone, serde, chrono, the core and some hundred more would be compiled again with other
  # features for the desktop app.
  mofan_log "building the command line (cargo build --release --bin mofan, the package's features)"
  timeout --kill-after=30 "${MOFAN_BUILD_TIMEOUT:-2400}" \
    cargo build --manifest-path "$MOFAN_ROOT/Cargo.toml" --release --locked --workspace \
      --features mofan-desktop/custom-protocol --bin mofan ||
    mofan_die "command line build failed"
  cli="$target/release/mofan"
  # The command line goes to /usr/bin/mofan; its path is this machine's, so it is given
  # here rather than in the committed configuration.
  extra="$(node -e 'process.stdout.write(JSON.stringify({bundle: {linux: {deb: {files: {"/usr/bin/mofan": process.argv[1]}}}}}))' "$cli")"
  mofan_log "building the desktop app and its Debian package (tauri build --bundles deb)"
  rm -f "$target/release/bundle/deb/mofan_${version}_"*.deb
  (cd "$MOFAN_ROOT/ui" &&
    timeout --kill-after=30 "${MOFAN_BUILD_TIMEOUT:-2400}" \
      node scripts/tauri.mjs build --bundles deb --ci --config "$extra") ||
    mofan_die "package build failed"
  MOFAN_DEB="$(ls "$target/release/bundle/deb/mofan_${version}_"*.deb 2>/dev/null | head -n 1)"
  [ -f "$MOFAN_DEB" ] || mofan_die "build finished but no mofan_${version}_*.deb in $target/release/bundle/deb"
  MOFAN_DESKTOP_BIN="$target/release/mofan-desktop"
  export MOFAN_DEB MOFAN_DESKTOP_BIN
}

# Xvfb screen large enough for the 1280×800 window. -noreset: by default the server starts
# itself over when its last client leaves, and a client connecting meanwhile is refused —
# an app started again at once (an end-to-end test restarting it) failed to initialise GTK
# and WebKitWebDriver waited for it for ever (a CI run; 10 of 300 quick reconnections here).
MOFAN_XVFB_ARGS=(-a -s "-screen 0 1600x1000x24 -noreset")
