#!/usr/bin/env bats
# Memory: the budget of budget.h (README, "Memory"), measured with GNU
# time.  Peak RSS does not grow with -j (workers beyond the CPUs add no
# buffer), and a large block size means fewer blocks in memory.  pgz runs
# on at most 2 CPUs (pinned with taskset where there are more): the bounds
# below are those of 2 CPUs.  The inputs are sparse files of zeros, which
# are read and compressed fast, so each run takes about a second.
# Skipped under the sanitizers, whose shadow memory is not pgz's.

load helpers

eval "helpers_$(declare -f setup)"

setup() {
    [ -z "${SANITIZE:-}" ] || skip "peak memory means nothing under sanitizers"
    { [ -x /usr/bin/time ] && /usr/bin/time -f %M true 2>/dev/null; } ||
        skip "GNU time is not installed"
    PIN=()
    if [ "$(nproc)" -gt 2 ]; then
        command -v taskset >/dev/null && command -v python3 >/dev/null ||
            skip "taskset and python3 are needed to run on 2 CPUs"
        PIN=(taskset -c "$(python3 -c 'import os
print(",".join(map(str, sorted(os.sched_getaffinity(0))[:2])))')")
    fi
    helpers_setup
}

MIB=1024    # KiB, GNU time's unit

# rss ARG...: run pgz with ARG..., its stdout to /dev/null; check that it
# succeeded silently and set $rss to its peak RSS in KiB.
rss() {
    local label="${*:1:4}"
    status=0
    "${PIN[@]}" /usr/bin/time -f %M -o "$ROOT/rss" \
        timeout -k 5 120 "$PGZ" "$@" >/dev/null 2>"$ERR" || status=$?
    expect_status 0
    [ ! -s "$ERR" ]
    rss=$(cat "$ROOT/rss")
    echo "# pgz $label ...: peak RSS $((rss / MIB)) MiB" >&3
}

@test "default block size: within 64 MiB whatever -j, workers beyond the CPUs add no buffer" {
    truncate -s 200M big
    local j base=
    for j in 1 2 64 1000; do
        rss -c -j "$j" big
        [ "$rss" -le $((64 * MIB)) ]
        # Threads cost their stacks' few pages (32 KiB each is plenty);
        # nothing else may grow with -j (the stdout buffer and up to 4
        # blocks per compressor: 8 MiB).
        [ -n "$base" ] || base=$rss
        [ "$rss" -le $((base + 8 * MIB + j * 32)) ]
    done
}

@test "-b 65536: one block per compressor and one read ahead, whatever -j" {
    # 7 blocks of 64 MiB.  Zeros compress to almost nothing, so what is in
    # memory is the input of 3 blocks (2 CPUs), and a few MiB of the rest.
    truncate -s 448M big
    local j
    for j in 8 256; do
        rss -c -b 65536 -j "$j" big
        [ "$rss" -le $(((3 * 64 + 24) * MIB)) ]
    done
}

@test "-d -c and -t of many files: within 64 MiB whatever -j" {
    mkdir gz
    head -c 4M /dev/zero | gzip -1 >gz/000.gz
    local i
    for i in $(seq -w 1 199); do
        cp gz/000.gz "gz/$i.gz"
    done
    local j base=
    for j in 1 1000; do
        rss -d -c -j "$j" gz/*.gz
        [ "$rss" -le $((64 * MIB)) ]
        [ -n "$base" ] || base=$rss
        [ "$rss" -le $((base + 8 * MIB + j * 32)) ]
        rss -t -j "$j" gz/*.gz
        [ "$rss" -le $((base + 8 * MIB + j * 32)) ]
    done
}

@test "-d of one big file of sized members (parallel decoding): within 32 MiB at -j2, from a file and a pipe" {
    # Text that compresses to 3/4: members of 1 MiB of data and about
    # 0.75 MiB of input, so each group in flight holds both (pardec.h).
    head -c 24M /dev/urandom | base64 -w 0 >big
    "$PGZ" -6 big
    local j base=
    for j in 2 1000; do
        rss -d -c -j "$j" big.gz
        [ -n "$base" ] || base=$rss
        [ "$j" -gt 2 ] || [ "$rss" -le $((32 * MIB)) ]
        [ "$rss" -le $((base + 8 * MIB + j * 32)) ]
        rss -d -c -j "$j" <big.gz
        [ "$j" -gt 2 ] || [ "$rss" -le $((32 * MIB)) ]
        [ "$rss" -le $((base + 8 * MIB + j * 32)) ]
    done
}
