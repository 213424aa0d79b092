#!/usr/bin/env bash
# Regenerates the application icons in icons/ from a drawn source image:
# a red rounded square with the character 模 in gold (Noto Serif CJK SC Bold).
# Needs ImageMagick, fonts-noto-cjk and ui/node_modules (the Tauri CLI).
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

convert -size 1024x1024 xc:none \
  -fill '#c8161d' -draw 'roundrectangle 48,48 975,975 180,180' \
  -fill '#ffd86b' -stroke '#ffd86b' -strokewidth 6 \
  -font Noto-Serif-CJK-SC-Bold -pointsize 660 -gravity center -annotate +0+20 '模' \
  "$work/source.png"

(cd ui && npx --no-install tauri icon "$work/source.png" --output "$work/out" >/dev/null 2>&1)

for f in 32x32.png 128x128.png 128x128@2x.png icon.png icon.ico icon.icns; do
  cp "$work/out/$f" "icons/$f"
done
# The Linux package installs one PNG per size of the hicolor theme (menus, docks, file
# managers each pick their own size); the Tauri CLI makes only some of them.
for n in 16 24 48 64 256; do
  convert "$work/source.png" -resize "${n}x${n}" -strip -define png:color-type=6 "PNG32:icons/${n}x${n}.png"
done
echo "icons written to icons/"
