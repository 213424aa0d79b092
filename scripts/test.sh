#!/usr/bin/env bash
# 运行全部测试 / Runs every test: formatting, lints, the UI's unit tests, the Debian package
# (built and checked), then the end-to-end tests of the package's own desktop binary in a
# real window under Xvfb — and, at the same time, the Rust unit and integration tests.
# Fails with a non-zero exit code at the first failing step (the Rust tests and the e2e
# tests, running together, are both waited for and both reported).
#
#   bash scripts/test.sh
#
# Why the Rust tests run beside the e2e tests: the e2e tests keep about 0.6 of one core busy
# (a window waits on WebKit, on animations, on WebDriver round trips), so on a 2-core machine
# most of the machine idles for their ten minutes; the debug build and run of `cargo test`
# (about as long, CPU-bound) fills that gap at the lowest priority (`nice -n 19`), so that the
# window's timing is disturbed as little as possible. Measured: see docs/architecture.md.
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
step 2400 "cargo clippy (workspace, all targets, -D warnings)" \
  cargo clippy --workspace --all-targets --locked -- -D warnings
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

# The Rust tests, in the background at the lowest priority (see the top of this file), in a
# process group of their own (setsid) so that an interrupted run stops them too; their output
# goes to a file of its own and is shown once the e2e tests are over.
cargo_log="$(mktemp)"
mofan_log "cargo test (workspace), in the background beside the e2e tests (output: $cargo_log)"
setsid bash -c 'nice -n 19 timeout --kill-after=30 2400 cargo test --workspace --locked >"$1" 2>&1
  echo $? >"$1.rc"; echo "$SECONDS" >"$1.secs"' _ "$cargo_log" &
cargo_pid=$!
trap 'kill -TERM -- -"$cargo_pid" 2>/dev/null || true; rm -f "$MOFAN_TEST_LOG" "$cargo_log" "$cargo_log.rc" "$cargo_log.secs"' EXIT

mofan_log "e2e: real window through tauri-driver under Xvfb"
t0=$SECONDS
e2e_ok=1
if ! (cd e2e && timeout --kill-after=30 1500 xvfb-run "${MOFAN_XVFB_ARGS[@]}" \
  node --test --test-concurrency=1 --test-reporter=spec tests/) 2>&1 | tee -a "$MOFAN_TEST_LOG"; then
  e2e_ok=0
  printf '\n失败 / FAILED: e2e (after %ss)\n' "$((SECONDS - t0))" >&2
else
  printf -- '--- e2e: ok (%ss); screenshots in e2e/screenshots/\n' "$((SECONDS - t0))"
fi

mofan_log "cargo test (workspace): waiting for it to finish"
wait "$cargo_pid" || true
tee -a "$MOFAN_TEST_LOG" < "$cargo_log"
cargo_rc="$(cat "$cargo_log.rc" 2>/dev/null || echo 1)"
if [ "$cargo_rc" != 0 ]; then
  printf '\n失败 / FAILED: cargo test (workspace) (exit %s, after %ss)\n' "$cargo_rc" "$(cat "$cargo_log.secs" 2>/dev/null)" >&2
  exit 1
fi
printf -- '--- cargo test (workspace): ok (%ss, beside the e2e tests)\n' "$(cat "$cargo_log.secs")"
[ "$e2e_ok" = 1 ] || exit 1
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
