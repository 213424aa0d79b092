#!/usr/bin/env bash
# Makes the upgrade fixture of tests/it/upgrade.rs: a database written by an earlier build of
# the `mofan` command line, with what that build printed about it.
#
#   bash scripts/make-upgrade-fixture.sh OLD_MOFAN_BINARY COMMIT
#
# Writes tests/fixtures/upgrade/<COMMIT>/ : mofan.db and the JSON the old binary printed
# (select, ballots list, panel list, publicity status, objection list, review). The test opens
# a copy with the current code and checks that every value the old build printed is printed
# the same now. Made with the release `mofan` of the commit before the newest migration (the
# packaged binary of that commit: the package carries exactly this program as /usr/bin/mofan).
set -euo pipefail
old="${1:?usage: make-upgrade-fixture.sh OLD_MOFAN_BINARY COMMIT}"
commit="${2:?usage: make-upgrade-fixture.sh OLD_MOFAN_BINARY COMMIT}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/tests/fixtures/upgrade/$commit"
fx="$root/tests/fixtures"
rm -rf "$out"
mkdir -p "$out"
db="$out/mofan.db"
export MOFAN_OPERATOR="升级测试"
m() { "$old" --db "$db" "$@"; }

m calendar import "$fx/calendar/test-data.toml"
m awards import "$fx/samples/awards.xlsx"
m campaign create --year 2026 --scheme "$fx/scheme.computed.toml"
m import --campaign 2026 "$fx"/samples/0*.xls*
m panel import --campaign 2026 --component organisation "$fx/panel/组织考评评分表.xlsx"
m ballots import --campaign 2026 --component public "$fx"/ballots/*.xlsx
m select --campaign 2026 >/dev/null
m publicity start --campaign 2026 --from 2026-11-02
first="$(m select --campaign 2026 --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s).results.find(r=>r.status==="selected");process.stdout.write(r.uscc||r.name)})')"
m objection add --campaign 2026 --agency "$first" --date 2026-11-03 --content "反映该单位材料不实" --channel 来信 --from 升级测试来信人
m objection resolve --campaign 2026 --id 1 --rejected --reason "经核实不属实" --date 2026-11-05
m publish --campaign 2026 --doc-number "粤直工〔2026〕12号" --date 2026-11-20
m review --campaign 2026 --date 2026-12-01 --apply >/dev/null

m select --campaign 2026 --json >"$out/select.json"
m ballots list --campaign 2026 --json >"$out/ballots.json"
m panel list --campaign 2026 --json >"$out/panel.json"
m publicity status --campaign 2026 --date 2026-11-20 --json >"$out/publicity.json"
m objection list --campaign 2026 --json >"$out/objections.json"
m review --campaign 2026 --date 2026-12-01 --json >"$out/review.json"
m audit verify >"$out/audit-verify.txt"
"$old" --version >"$out/version.txt"
# One file: mofan folds its write-ahead log into the database when it closes it.
if [ -s "$db-wal" ]; then
  echo "error: $db-wal is left over: the old binary did not close its database" >&2
  exit 1
fi
rm -f "$db-wal" "$db-shm"
echo "written: $out ($(du -sh "$out" | cut -f1))"
