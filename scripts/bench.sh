#!/usr/bin/env bash
# Benchmarks cutline against its peers on the same files, in one run,
# interleaved and repeated; prints medians and the ratios the targets in
# docs/performance.md are stated in (absolute times drift on a shared machine).
#
#   python3 -m venv /tmp/bench-venv && /tmp/bench-venv/bin/pip install pillow bagit
#   BENCH_PYTHON=/tmp/bench-venv/bin/python scripts/bench.sh
#
# Environment: LARGE (1 MiB files, default 500), SMALL (20 KiB files, default
# 20000; 100000 for the 100k-item targets), REPS (default 5), SUBSET (files for
# exiftool, default 300), BENCH_DIR (default: a new /tmp/cutline-bench.*,
# deleted at the end unless KEEP=1), BENCH_PYTHON (a python with pillow),
# BAGIT (bagit.py to use; default: the one on PATH or beside BENCH_PYTHON),
# BASE_BIN (another cutline binary, e.g. a release build of the last landed
# commit: every cutline case is also run with it, interleaved, with its own
# hash cache, and a table of new/base time ratios closes the report).
set -euo pipefail
cd "$(dirname "$0")/.."

LARGE=${LARGE:-500}
SMALL=${SMALL:-20000}
REPS=${REPS:-5}
SUBSET=${SUBSET:-300}
PY=${BENCH_PYTHON:-python3}
MAKE_TREE=${MAKE_TREE:-../shared/bench/make-tree.py}
WORK=${BENCH_DIR:-$(mktemp -d /tmp/cutline-bench.XXXXXX)}
BAGIT=${BAGIT:-$(command -v bagit.py || { [ -x "$(dirname "$PY")/bagit.py" ] && echo "$(dirname "$PY")/bagit.py"; } || true)}
mkdir -p "$WORK"
cleanup() { [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"; }
trap cleanup EXIT

cargo build --release --quiet
BIN=${CARGO_TARGET_DIR:-$PWD/target}/release/cutline
export CI=1 # no progress bar in timings

echo "== machine"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') ×$(nproc)"
echo "sha_ni: $(grep -q -w sha_ni /proc/cpuinfo && echo yes || echo no); kernel $(uname -r); $(df -T "$WORK" | awk 'NR==2{print $2}') at $WORK"
echo "openssl: $(openssl version); exiftool: $(exiftool -ver); bagit: ${BAGIT:-absent}"

echo "== trees (large $LARGE × 1 MiB, small $SMALL × 20 KiB)"
[ -d "$WORK/large" ] || "$PY" "$MAKE_TREE" "$WORK/large" --large "$LARGE" --small 0
[ -d "$WORK/small" ] || "$PY" "$MAKE_TREE" "$WORK/small" --large 0 --small "$SMALL" --seed 2
for t in large small; do
    [ -f "$WORK/$t.json" ] || "$BIN" init "$WORK/$t" -o "$WORK/$t.json" >/dev/null
    (cd "$WORK/$t" && find . -type f -name '*.jpg' | sort) >"$WORK/$t.list"
done
head -n "$SUBSET" "$WORK/small.list" | sed "s|^\./|$WORK/small/|" >"$WORK/subset.list"
mkdir -p "$WORK/subset"
i=0; while read -r f; do i=$((i + 1)); ln -f "$f" "$WORK/subset/$i.jpg"; done <"$WORK/subset.list"
if [ -n "$BAGIT" ] && [ ! -d "$WORK/bag" ]; then
    cp -al "$WORK/large" "$WORK/bag"
    "$BAGIT" --quiet --processes 2 --sha256 "$WORK/bag" >/dev/null 2>&1
fi
# The cache used by `check`; aged files (the trees were just written) are
# cached after the first check, so the "cached" cases are re-checks.
export XDG_CACHE_HOME=$WORK/xdg-cache
sleep 2

# Two parallel openssl streams: each half of the file list through one process.
openssl2() {
    local list=$1 dir=$2
    split -n l/2 "$list" "$WORK/half."
    (cd "$dir" && xargs -a "$WORK/half.aa" openssl dgst -sha256 >/dev/null) &
    local p=$!
    (cd "$dir" && xargs -a "$WORK/half.ab" openssl dgst -sha256 >/dev/null)
    wait "$p"
}

declare -A CMD FILES BYTES
add() { CMD[$1]=$2; FILES[$1]=$3; BYTES[$1]=$4; ORDER+=("$1"); }
ORDER=()
lb=$(du -sb "$WORK/large" | cut -f1); sb=$(du -sb "$WORK/small" | cut -f1)
sub_b=$(xargs -a "$WORK/subset.list" du -cb | tail -1 | cut -f1)
add large:openssl×2 "openssl2 $WORK/large.list $WORK/large" "$LARGE" "$lb"
add large:sha256sum-P2 "cd $WORK/large && xargs -a $WORK/large.list -P2 -n 64 sha256sum >/dev/null" "$LARGE" "$lb"
add large:verify "$BIN verify -m $WORK/large.json >/dev/null" "$LARGE" "$lb"
add large:scan "$BIN scan $WORK/large >/dev/null" "$LARGE" "$lb"
add large:check-full "$BIN check -m $WORK/large.json --full --fail-on error >/dev/null || true" "$LARGE" "$lb"
[ -n "$BAGIT" ] && add large:bagit "$BAGIT --validate --processes 2 $WORK/bag >/dev/null 2>&1" "$LARGE" "$lb"
add small:openssl×2 "openssl2 $WORK/small.list $WORK/small" "$SMALL" "$sb"
add small:verify "$BIN verify -m $WORK/small.json >/dev/null" "$SMALL" "$sb"
add small:scan-no-hash "$BIN scan --no-hash $WORK/small >/dev/null" "$SMALL" "$sb"
add small:check-full "$BIN check -m $WORK/small.json --full >/dev/null || true" "$SMALL" "$sb"
add small:check-cached "$BIN check -m $WORK/small.json >/dev/null || true" "$SMALL" "$sb"
add subset:exiftool "exiftool -q -j -r $WORK/subset >/dev/null" "$SUBSET" "$sub_b"
add subset:scan-no-hash "$BIN scan --no-hash $WORK/subset >/dev/null" "$SUBSET" "$sub_b"

if [ -n "${BASE_BIN:-}" ]; then
    for k in "${ORDER[@]}"; do
        case "${CMD[$k]}" in
        "$BIN "*) add "$k@base" "XDG_CACHE_HOME=$WORK/xdg-base ${CMD[$k]/#$BIN /$BASE_BIN }" "${FILES[$k]}" "${BYTES[$k]}" ;;
        esac
    done
fi

# Warm the page cache and the hash caches once.
find "$WORK/large" "$WORK/small" -type f -exec cat {} + >/dev/null
"$BIN" check -m "$WORK/small.json" >/dev/null || true
[ -z "${BASE_BIN:-}" ] || XDG_CACHE_HOME=$WORK/xdg-base "$BASE_BIN" check -m "$WORK/small.json" >/dev/null || true

declare -A TIMES
for ((r = 1; r <= REPS; r++)); do
    for k in "${ORDER[@]}"; do
        s=$(date +%s.%N)
        eval "${CMD[$k]}"
        e=$(date +%s.%N)
        TIMES[$k]+="$(echo "$e - $s" | bc -l) "
    done
    echo "rep $r/$REPS done"
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END{print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
declare -A MED
echo "== medians of $REPS runs"
printf '%-22s %9s %11s %9s\n' case seconds files/s MB/s
for k in "${ORDER[@]}"; do
    m=$(echo "${TIMES[$k]}" | median)
    MED[$k]=$m
    printf '%-22s %9.3f %11.0f %9.0f\n' "$k" "$m" "$(echo "${FILES[$k]} / $m" | bc -l)" "$(echo "${BYTES[$k]} / $m / 1000000" | bc -l)"
done

echo "== peak RSS (one run each, /usr/bin/time)"
for k in small:verify small:check-full small:check-cached large:verify; do
    rss=$(eval "/usr/bin/time -f %M ${CMD[$k]%%>*} 2>&1 >/dev/null" | tail -1 || true)
    printf '%-22s %8.1f MB\n' "$k" "$(echo "$rss / 1024" | bc -l)"
done

ratio() { echo "${MED[$2]} / ${MED[$1]}" | bc -l; }
echo "== ratios (target in brackets)"
printf 'large verify vs openssl×2 (speed)     %6.2f  [≥ 0.9]\n' "$(ratio large:verify large:openssl×2)"
[ -n "$BAGIT" ] && printf 'large verify vs bagit --validate     %6.2f  [≥ 3]\n' "$(ratio large:verify large:bagit)"
printf 'large verify vs sha256sum -P2         %6.2f\n' "$(ratio large:verify large:sha256sum-P2)"
printf 'small verify files/s                %8.0f  [≥ 40000]\n' "$(echo "$SMALL / ${MED[small:verify]}" | bc -l)"
printf 'scan --no-hash vs exiftool (subset) %8.1f  [≥ 100]\n' "$(ratio subset:scan-no-hash subset:exiftool)"
printf 'scan --no-hash vs exiftool (files/s, whole small tree) %8.1f  [≥ 100]\n' \
    "$(echo "($SMALL / ${MED[small:scan-no-hash]}) / ($SUBSET / ${MED[subset:exiftool]})" | bc -l)"
printf 'small check --full / openssl×2 (time) %6.2f  [≤ 1.2]\n' "$(echo "${MED[small:check-full]} / ${MED[small:openssl×2]}" | bc -l)"
printf 'small check from cache files/s      %8.0f  [≥ 100000]\n' "$(echo "$SMALL / ${MED[small:check-cached]}" | bc -l)"
if [ -n "${BASE_BIN:-}" ]; then
    echo "== this build against BASE_BIN ($BASE_BIN): time ratio new/base (below 1.05 is within 5 %)"
    for k in "${ORDER[@]}"; do
        [ -n "${MED[$k@base]:-}" ] || continue
        printf '%-22s %9.3f %9.3f %6.3f\n' "$k" "${MED[$k]}" "${MED[$k@base]}" "$(echo "${MED[$k]} / ${MED[$k@base]}" | bc -l)"
    done
fi
