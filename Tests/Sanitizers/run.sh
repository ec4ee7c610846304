#!/usr/bin/env bash
# Runs the whole test suite under AddressSanitizer and then ThreadSanitizer, each in its own
# build folder. Not part of .ci/run: two instrumented builds and runs take about 15 minutes on
# 2 cores. LeakSanitizer is off for the ASan run: the leaks it reports are in libcurl,
# FoundationEssentials (reading an empty file) and XCTest's harness, not in vpnform, and its
# exit status would fail the end-to-end tests that check vpnform's own exit codes.
set -euo pipefail
cd "$(dirname "$0")/../.."
export VPNFORM_SANITIZER=1
ASAN_OPTIONS=detect_leaks=0 swift test --sanitize=address --scratch-path .build-asan
TSAN_OPTIONS=halt_on_error=1 swift test --sanitize=thread --scratch-path .build-tsan
