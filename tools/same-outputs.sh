#!/bin/sh
# Do two plansjekk builds write the same outputs? For refactorings that must
# not change behaviour: runs both binaries on the corpus, ../shared/real-dev
# (if present) and the fixtures, and compares the output folders byte for byte.
# The manifest's run_key is left out: it hashes the binary itself.
#
#   tools/same-outputs.sh OLD_BINARY NEW_BINARY
set -u
old=$1 new=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rc=0
for input in corpus ../shared/real-dev tests/fixtures/formats fixtures/genre; do
  [ -d "$input" ] || { echo "$input: not here, skipped"; continue; }
  name=$(basename "$input")
  "$old" run "$input" --out "$work/old-$name" >/dev/null 2>&1
  "$new" run "$input" --out "$work/new-$name" >/dev/null 2>&1
  if diff -r -I '"run_key"' "$work/old-$name" "$work/new-$name" >"$work/diff"; then
    echo "$name: identical"
  else
    echo "$name: DIFFERS"; head -40 "$work/diff"; rc=1
  fi
done
exit $rc
