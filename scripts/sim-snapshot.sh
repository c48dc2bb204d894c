#!/usr/bin/env bash
# Writes what the built CLI answers for every built-in scenario against every built-in stack (default
# 30 d horizon and a 1 h one), plus the tune bench cases, into <dir> with the wall-clock fields removed.
# Run it before and after a simulator change and `diff -r` the two dirs: a speed-up must change no number.
#   npm run build && scripts/sim-snapshot.sh /tmp/before   # … change …   npm run build && scripts/sim-snapshot.sh /tmp/after
# DOWSIM_DIST=<dir built by `node scripts/build.js --outdir <dir>`> runs that build instead (so that editing
# sources meanwhile changes nothing); then compare with scripts/sim-compare.mjs.
set -euo pipefail
out=${1:?usage: scripts/sim-snapshot.sh <dir>}
cd "$(dirname "$0")/.."
mkdir -p "$out"
dowsim() {
  if [ -n "${DOWSIM_DIST:-}" ]; then node --input-type=module -e "const { main } = await import('$(realpath "$DOWSIM_DIST")/main.js'); await main(['node', 'dowsim', ...process.argv.slice(1)]);" -- "$@"
  else node bin/dowsim.js "$@"; fi
}
stacks=()
for s in stacks/*.yaml; do stacks+=(--stack "$(basename "$s" .yaml)"); done
strip='del(.generatedAt, .elapsedSeconds, .candidatesPerSecond)'
for sc in scenarios/*.yaml test/tune/fixtures/fixed-ip-flood.yaml test/tune/fixtures/rotating-route-flood.yaml; do
  name=$(basename "$sc" .yaml)
  for h in 30d 1h; do
    dowsim simulate "$sc" "${stacks[@]}" --stack test/tune/fixtures/rest-open.yaml --horizon "$h" --json | jq -S "$strip" >"$out/simulate-$name-$h.json"
  done
done
dowsim tune test/tune/fixtures/fixed-ip-flood.yaml --stack test/tune/fixtures/rest-open.yaml --json | jq -S "$strip" >"$out/tune-fixed-ip.json" || true
dowsim tune botnet-flood leech --stack rest-unprotected --json | jq -S "$strip" >"$out/tune-botnet-leech.json" || true
dowsim tune test/tune/fixtures/rotating-route-flood.yaml --stack test/tune/fixtures/rest-open.yaml --json | jq -S "$strip" >"$out/tune-rotating.json" || true
echo "wrote $(ls "$out" | wc -l) files to $out"
