#!/usr/bin/env bash
# 构建安装包 / Builds the Debian package of the release build and checks it:
#
#   bash scripts/package.sh
#
# Writes <target>/release/bundle/deb/mofan_<version>_amd64.deb (the desktop app, the `mofan`
# command line, the menu entry 模范机关评选 and its icons). Install it with
#   sudo apt install ./target/release/bundle/deb/mofan_<version>_amd64.deb
# (apt resolves the runtime libraries; `dpkg -i` does not). See README.md, "安装包".
set -euo pipefail
# shellcheck source=scripts/setup.sh
source "$(dirname "$0")/setup.sh"

mofan_install_apt
mofan_check_toolchains
mofan_npm_ci "$MOFAN_ROOT/ui"
t0=$SECONDS
mofan_build_package
mofan_log "package built in $((SECONDS - t0))s: $MOFAN_DEB ($(du -h "$MOFAN_DEB" | cut -f1))"
bash "$MOFAN_ROOT/scripts/check-package.sh" "$MOFAN_DEB"
