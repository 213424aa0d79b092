#!/usr/bin/env bash
# 一键启动：安装缺少的依赖，构建界面与桌面程序，然后打开「模范机关评选」。
# One command: installs what is missing, builds the UI and the release desktop app, and
# starts it. The first build takes about 12 minutes on a 2-core machine (it says so when it
# begins); later starts rebuild only what changed, in seconds.
#
#   bash scripts/start.sh
#
# The database is $MOFAN_DB if set, else the platform data directory (see README.md).
set -euo pipefail
# shellcheck source=scripts/setup.sh
source "$(dirname "$0")/setup.sh"

mofan_setup
mofan_build_release

mofan_log "starting $MOFAN_DESKTOP_BIN"
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec "$MOFAN_DESKTOP_BIN" "$@"
fi

cat >&2 <<'MSG'
未检测到图形界面（DISPLAY / WAYLAND_DISPLAY 均未设置），程序将在虚拟显示器 Xvfb 中运行，窗口不可见；按 Ctrl+C 退出。
请在有桌面的会话中运行本脚本以看到窗口。
No display found (neither DISPLAY nor WAYLAND_DISPLAY is set): running the app inside a
virtual Xvfb display, where its window is not visible. Press Ctrl+C to stop. Run this
script from a desktop session to see the window.
MSG
exec xvfb-run "${MOFAN_XVFB_ARGS[@]}" "$MOFAN_DESKTOP_BIN" "$@"
