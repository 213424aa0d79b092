#!/bin/sh
# Fills fuzz/corpus/<target>/ with seeds from the repository's test fixtures:
# every workbook under tests/fixtures (up to 100 KB, so each run stays fast), the
# example schemes, and a backup made by the mofan binary. Run from anywhere; files
# already there are kept (libFuzzer adds its own finds to the same folders).
set -eu
fuzz=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$fuzz")
corpus="$fuzz/corpus"
mkdir -p "$corpus/import_xlsx" "$corpus/import_xls" "$corpus/import_ods" \
    "$corpus/import_any" "$corpus/values" "$corpus/scheme" "$corpus/restore"

# The extensions of fuzz_targets/import_any.rs, in its order: the seed's first byte
# is the index of its file's extension (the high bit set: read as a registry).
exts="xlsx xlsm xls xlsb ods csv html htm xml txt et xltx xlt tsv mht"

find "$root/tests/fixtures" -type f -size -100k | while read -r f; do
    ext=$(printf '%s' "${f##*.}" | tr 'A-Z' 'a-z')
    # Named by the file's path, which may hold Chinese: a hash keeps names distinct.
    name=$(printf '%s' "${f#"$root"/}" | sha1sum | cut -c1-16).$ext
    case "$ext" in
        xlsx | xlsm) cp "$f" "$corpus/import_xlsx/$name" ;;
        xls) cp "$f" "$corpus/import_xls/$name" ;;
        ods) cp "$f" "$corpus/import_ods/$name" ;;
    esac
    i=0
    for e in $exts; do
        if [ "$e" = "$ext" ]; then
            # Returns for every file; also a registry for the registries.
            { printf "\\$(printf '%03o' "$i")"; cat "$f"; } > "$corpus/import_any/$name"
            case "$f" in
                *awards* | *registry* | *命名*)
                    { printf "\\$(printf '%03o' $((i + 128)))"; cat "$f"; } \
                        > "$corpus/import_any/registry-$name" ;;
            esac
        fi
        i=$((i + 1))
    done
done

cp "$root/src/scheme/default.toml" "$corpus/scheme/default.toml"
cp "$root/tests/fixtures/scheme.example.toml" "$corpus/scheme/example.toml"

# A backup of a database with one campaign and the sample registry.
mofan="$root/target/debug/mofan"
[ -x "$mofan" ] || (cd "$root" && cargo build --quiet)
tmp=$(mktemp -d)
"$mofan" --db "$tmp/m.db" campaign create --year 2026 > /dev/null
"$mofan" --db "$tmp/m.db" awards import "$root/tests/fixtures/samples/awards.xlsx" > /dev/null
"$mofan" --db "$tmp/m.db" backup --out "$corpus/restore/backup.db" > /dev/null
rm -rf "$tmp"
for t in "$corpus"/*; do
    echo "$(basename "$t"): $(ls "$t" | wc -l) seeds"
done
