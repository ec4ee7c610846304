#!/usr/bin/env bash
# Builds the libFuzzer targets (with AddressSanitizer) and runs each for FUZZ_SECONDS (default 60).
# Seeds: the examples, the invalid-file corpus (markers stripped), the example state, the golden plan
# and JSONTestSuite's test_parsing files (for the state fuzzer, which also reads each input as a value
# inside a spec with a recomputed digest).
# A crash leaves its input in .build-fuzz/artifacts/ and fails the run; copy it into
# Tests/VPNFormTests/Fixtures/fuzz-regressions/ so the test suite replays it from then on.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${FUZZ_SECONDS:-60}
scratch=.build-fuzz
swift build -c release --package-path Tests/Fuzz --scratch-path "$scratch" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld 2>&1 | tail -1
bin="$scratch/x86_64-unknown-linux-gnu/release"
corpus="$scratch/corpus"
mkdir -p "$corpus/desired" "$corpus/state" "$scratch/artifacts"
cp examples/*.yaml Tests/VPNFormTests/Fixtures/fuzz-regressions/*.yaml "$corpus/desired/"
for f in Tests/VPNFormTests/Fixtures/invalid/*.yaml; do sed 's/1️⃣//g' "$f" > "$corpus/desired/$(basename "$f")"; done
cp examples/*.state.json Tests/VPNFormTests/Fixtures/golden/plan.json Tests/VPNFormTests/Fixtures/fuzz-regressions/*.json "$corpus/state/"
cp Tests/VPNFormTests/Fixtures/JSONTestSuite/test_parsing/*.json "$corpus/state/"
status=0
for target in FuzzDesiredState:desired FuzzStateAndPlan:state; do
  name=${target%%:*}; dir=${target##*:}
  echo "fuzz: $name for ${seconds} s"
  "$bin/$name" -max_total_time="$seconds" -max_len=131072 -timeout=10 -rss_limit_mb=4096 \
    -artifact_prefix="$scratch/artifacts/$name-" -print_final_stats=1 "$corpus/$dir" 2>&1 \
    | grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+[[:space:]]+DONE)|ERROR|SUMMARY|Test unit written" || status=$?
  # grep's status is 1 when nothing matched; the fuzzer's own failure shows as an artifact.
  if ls "$scratch/artifacts/$name-"* >/dev/null 2>&1; then echo "fuzz: $name found a crash: $(ls "$scratch/artifacts/$name-"*)"; status=1; fi
done
exit $status
