#!/usr/bin/env bash
# Runs each fuzz target in turn: one job, 1,000,000 executions or MAX_TIME seconds,
# whichever comes first. Usage: fuzz/campaign.sh [MAX_TIME] [TARGET...]
# Needs the binaries built first (release, debug assertions on, no sanitizer):
#   cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz build -O -a -s none
# They are run directly (BIN, default the cargo-fuzz output folder), not through
# `cargo fuzz run`, so an edit to the crate during the campaign does not rebuild.
set -uo pipefail
cd "$(dirname "$0")"
bin=${BIN:-target/x86_64-unknown-linux-gnu/release}
max_time=${1:-300}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(container iptc xmp imagehash manifest policy credit)
[ -d corpus ] || python3 make_seeds.py
mkdir -p logs artifacts
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    echo "== $t" >&2
    "$bin/$t" "corpus/$t" \
        -runs=1000000 -max_total_time="$max_time" \
        -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="artifacts/$t/" > "logs/$t.log" 2>&1
    echo "exit $? for $t" >> "logs/$t.log"
    grep -E "^#[0-9]+.*(DONE|cov:)" "logs/$t.log" | tail -1 >&2
done
