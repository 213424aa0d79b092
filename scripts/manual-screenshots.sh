#!/usr/bin/env bash
# 把用户手册用到的截图从 e2e/screenshots/ 复制到 docs/images/ /
# Copies the screenshots the user manual (docs/用户手册.md) shows from e2e/screenshots/,
# where the end-to-end test saves them, into docs/images/. scripts/test.sh runs it after
# the end-to-end test has passed, so the manual always shows the window as it is.
#
#   bash scripts/manual-screenshots.sh
#
# Each image is the window's own WebDriver screenshot (`name.png`, not the full X screen
# `name-screen.png`). An image larger than 250 KB is made smaller — with pngquant or
# optipng when installed, else ImageMagick (`convert`: 256 colours, then scaled down if
# need be) — so the repository does not grow by megabytes a year. A screenshot the manual needs that is missing fails
# the script: an e2e test that stopped taking it would otherwise leave a stale picture.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
from="$root/e2e/screenshots"
to="$root/docs/images"
max_bytes=$((250 * 1024))

# The screenshots docs/用户手册.md refers to, as images/<name>.png.
names=(
  guide-operator-prompt guide-dashboard-first-start guide-shortcuts guide-created-next-step
  guide-delete-demo
  campaigns-duplicate campaigns
  scheme-errors scheme-quotas
  imports-pending imports-errors imports-warnings imports-done imports
  imports-batch imports-partial-confirm
  returns returns-provenance
  evaluations-ballots evaluations-panel evaluations-preview
  results-tie results results-stale labels-pool-selector labels-compare
  publicity-plan publicity-done publicity-calendar
  dashboard dashboard-demo
  reviews reviews-applied reviews-registry
  agency-page agency-accountability-dialog
  ledger-import-check ledger-overdue
  supervision-found
  notices notices-rectification
  audit settings store-error
)

missing=()
for n in "${names[@]}"; do
  [[ -f "$from/$n.png" ]] || missing+=("$n.png")
done
if ((${#missing[@]})); then
  printf '缺少截图 / missing screenshots in %s: %s\n' "$from" "${missing[*]}" >&2
  printf '请先运行端到端测试 / run the end-to-end test first (bash scripts/test.sh)\n' >&2
  exit 1
fi

size() { stat -c %s "$1"; }

# Makes $1 smaller in place, with the best tool at hand.
shrink() {
  local f="$1"
  if command -v pngquant > /dev/null; then
    pngquant --force --skip-if-larger --quality=70-95 --output "$f" -- "$f" || true
  fi
  if (($(size "$f") > max_bytes)) && command -v optipng > /dev/null; then
    optipng -quiet -o2 "$f"
  fi
  if (($(size "$f") > max_bytes)) && command -v convert > /dev/null; then
    convert "$f" -strip -colors 256 "PNG8:$f"
    # Still too large (a screen full of photographs or gradients): scale it down, at most
    # to half its width, rather than commit a picture of a megabyte.
    for _ in 1 2 3; do
      (($(size "$f") > max_bytes)) || break
      convert "$f" -resize 80% -colors 256 "PNG8:$f"
    done
  fi
  if (($(size "$f") > max_bytes)); then
    printf '注意 / note: %s is still %d KB\n' "${f#"$root"/}" "$(($(size "$f") / 1024))" >&2
  fi
}

mkdir -p "$to"
for n in "${names[@]}"; do
  cp "$from/$n.png" "$to/$n.png"
  if (($(size "$to/$n.png") > max_bytes)); then
    shrink "$to/$n.png"
  fi
done
printf '用户手册截图已更新 / %d manual screenshots copied to docs/images/\n' "${#names[@]}"
