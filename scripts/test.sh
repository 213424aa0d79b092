#!/usr/bin/env bash
# 运行全部测试 / Runs every test: formatting, the UI's unit tests, the Debian package (built
# and checked), then the end-to-end tests of the package's own desktop binary in a real
# window under Xvfb — and, from the start, in the background: lints (clippy), then the Rust
# unit and integration tests.
# Fails with a non-zero exit code at the first failing step; the background chain is
# checked after the package build and waited for at the end, and both are reported.
#
#   bash scripts/test.sh
#
# Why clippy and the Rust tests run in the background, at the lowest priority (`nice -n 19`):
# on a 2-core machine the foreground leaves much of the machine idle — the release build
# has long stretches that keep one core busy (the type checking and linking of the large
# crates: the core, the desktop shell, Tauri), and the e2e tests keep about 0.6 of one core
# busy (a window waits on WebKit, on animations, on WebDriver round trips). clippy's check
# and the debug build and run of `cargo test` (CPU-bound, in target/debug, so they never
# wait on the release build's lock) fill those gaps, and yield the CPU whenever the
# foreground wants it, so the release build is not slowed and the window's timing is
# disturbed as little as possible. Measured: see docs/architecture.md.
set -euo pipefail
# shellcheck source=scripts/setup.sh
source "$(dirname "$0")/setup.sh"
cd "$MOFAN_ROOT"

started=$SECONDS
# Every runner's output is also kept here, to count the tests at the end.
MOFAN_TEST_LOG="$(mktemp)"
trap 'rm -f "$MOFAN_TEST_LOG"' EXIT
step() {
  local limit="$1" name="$2"
  shift 2
  mofan_log "$name"
  local t0=$SECONDS
  if ! timeout --kill-after=30 "$limit" "$@" 2>&1 | tee -a "$MOFAN_TEST_LOG"; then
    printf '\n失败 / FAILED: %s (after %ss)\n' "$name" "$((SECONDS - t0))" >&2
    exit 1
  fi
  printf -- '--- %s: ok (%ss)\n' "$name" "$((SECONDS - t0))"
}

mofan_setup
mofan_install_rust_components

step 300 "cargo fmt --check" cargo fmt --all --check

# The background chain (see the top of this file): clippy, then — when clippy passes — the
# Rust tests, in a process group of their own (setsid) so that an interrupted run stops
# them too. Each leaves its output in $bg_dir/NAME.log and "exit-code seconds" in
# $bg_dir/NAME.rc.
bg_dir="$(mktemp -d)"
mofan_log "in the background at the lowest priority: cargo clippy, then cargo test (output: $bg_dir)"
setsid bash -c '
  dir=$1
  run() {
    local name=$1 t0=$SECONDS rc=0
    shift
    nice -n 19 timeout --kill-after=30 2400 "$@" >"$dir/$name.log" 2>&1 || rc=$?
    echo "$rc $((SECONDS - t0))" >"$dir/$name.rc"
    return "$rc"
  }
  run clippy cargo clippy --workspace --all-targets --locked -- -D warnings &&
    run test cargo test --workspace --locked' _ "$bg_dir" &
bg_pid=$!
trap 'kill -TERM -- -"$bg_pid" 2>/dev/null || true; rm -rf "$MOFAN_TEST_LOG" "$bg_dir"' EXIT
# Shows a finished background step's output (once) and fails the run when it failed.
bg_report() {
  local name="$1" title="$2" rc secs
  [ -f "$bg_dir/$name.rc" ] && [ ! -f "$bg_dir/$name.shown" ] || return 0
  read -r rc secs <"$bg_dir/$name.rc"
  touch "$bg_dir/$name.shown"
  mofan_log "$title (background)"
  tee -a "$MOFAN_TEST_LOG" <"$bg_dir/$name.log"
  if [ "$rc" != 0 ]; then
    printf '\n失败 / FAILED: %s (exit %s, after %ss)\n' "$title" "$rc" "$secs" >&2
    exit 1
  fi
  printf -- '--- %s: ok (%ss, in the background)\n' "$title" "$secs"
}
CLIPPY="cargo clippy (workspace, all targets, -D warnings)"
CARGO_TEST="cargo test (workspace)"

step 300 "ui: unit tests (vitest)" npm --prefix ui test
# The Debian package of the release build, built once: the UI (vue-tsc type check + vite
# build, the CLI's beforeBuildCommand), the release command line and desktop app, the .deb.
t0=$SECONDS
mofan_build_package
printf -- '--- package build: ok (%ss): %s (%s)\n' "$((SECONDS - t0))" "$MOFAN_DEB" "$(du -h "$MOFAN_DEB" | cut -f1)"
# Its metadata, files, desktop entry and command line, checked from an extracted copy; the
# end-to-end tests then start the package's own desktop binary from that copy
# (package.test.mjs times its first start), so one release build serves both.
package_dir="$(mofan_target_dir)/package-check"
step 120 "package check (scripts/check-package.sh)" bash scripts/check-package.sh "$MOFAN_DEB" "$package_dir"
MOFAN_DESKTOP_BIN="$package_dir/root/usr/bin/mofan-desktop"
export MOFAN_DESKTOP_BIN

# A lint failure found by now stops the run before the e2e tests.
bg_report clippy "$CLIPPY"

mofan_log "e2e: real window through tauri-driver under Xvfb"
t0=$SECONDS
e2e_ok=1
if ! (cd e2e && timeout --kill-after=30 1500 xvfb-run "${MOFAN_XVFB_ARGS[@]}" \
  node --test --test-concurrency=1 --test-reporter=spec tests/) 2>&1 | tee -a "$MOFAN_TEST_LOG" "$bg_dir/e2e.log"; then
  e2e_ok=0
  printf '\n失败 / FAILED: e2e (after %ss)\n' "$((SECONDS - t0))" >&2
else
  printf -- '--- e2e: ok (%ss); screenshots in e2e/screenshots/\n' "$((SECONDS - t0))"
fi

mofan_log "the background chain: waiting for it to finish"
wait "$bg_pid" || true
bg_report clippy "$CLIPPY"
bg_report test "$CARGO_TEST"
[ -f "$bg_dir/test.rc" ] || { printf '\n失败 / FAILED: %s did not run\n' "$CARGO_TEST" >&2; exit 1; }
if [ "$e2e_ok" != 1 ]; then
  # The Rust tests' output has been printed since, and a CI log is often read from its end
  # (a later failure often follows from the first): the start of node's summary of the
  # failed tests with their errors, then the harness's lines naming what it waited for and
  # the screenshot it took then, are repeated last.
  mofan_log "e2e: the failures again"
  sed -n '/failing tests:/,$p' "$bg_dir/e2e.log" | head -n 60
  grep -a -e 'timed out waiting for' -e 'no answer to' "$bg_dir/e2e.log" | tail -n 20 || true
  printf '\n失败 / FAILED: e2e (see above)\n' >&2
  exit 1
fi
# The user manual's pictures are refreshed from these screenshots only when asked
# (MOFAN_UPDATE_MANUAL=1): screenshots carry times and paths, and a plain test run must not
# leave the work tree changed.
if [ "${MOFAN_UPDATE_MANUAL:-}" = 1 ]; then
  step 60 "manual screenshots (docs/images/)" bash scripts/manual-screenshots.sh
fi

printf '\n全部测试通过 / all test suites passed in %ss\n' "$((SECONDS - started))"
# One closing line over every runner: cargo test ("test result: ok. N passed; M failed"),
# Vitest ("Tests  N passed") and node --test ("ℹ pass N" / "ℹ fail N").
# Colour codes (Vitest colours its summary even into a pipe) are taken out first.
awk '
  { gsub(/\033\[[0-9;]*m/, "") }
  /^test result:/ { for (i = 1; i <= NF; i++) { if ($(i) ~ /^passed/) p += $(i-1); if ($(i) ~ /^failed/) f += $(i-1) } }
  /^ *Tests +[0-9]+ passed/ { for (i = 1; i <= NF; i++) if ($(i) == "passed") p += $(i-1); for (i = 1; i <= NF; i++) if ($(i) == "failed") f += $(i-1) }
  /^ℹ pass [0-9]+/ { p += $3 }
  /^ℹ fail [0-9]+/ { f += $3 }
  END { printf "%d passed, %d failed\n", p, f }
' "$MOFAN_TEST_LOG"
