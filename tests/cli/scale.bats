#!/usr/bin/env bats
# Scale: 100,000 files as arguments and under -r with only 64 descriptors,
# peak memory that does not grow with the number of files, many files in
# progress at once, and a file over 4 GiB.  Under the (slow) sanitizers
# the trees have 5,000 files and the 4 GiB file is skipped.

load helpers

# helpers.bash's teardown under another name: ours unmounts first.
eval "helpers_$(declare -f teardown)"

teardown() {
    cd /
    if [ -n "${MNT:-}" ]; then
        umount "$MNT" 2>/dev/null || umount -l "$MNT"
    fi
    helpers_teardown
}

if [ -z "${SANITIZE:-}" ]; then
    DIRS=100        # directories of 1,000 files
    FILES=100,000
else
    DIRS=5
    FILES=5,000
fi

# fast_fs: work on a tmpfs when one can be mounted (root) and the machine
# has 2 GiB of memory available: 100,000 files are created and compressed
# several times faster there than on a disk.  Otherwise stay on the disk.
fast_fs() {
    [ "$(id -u)" = 0 ] || return 0
    local avail
    avail=$(awk '$1 == "MemAvailable:" { print $2 }' /proc/meminfo)
    [ "${avail:-0}" -ge $((2 * 1024 * 1024)) ] || return 0
    mount -t tmpfs -o size=2g pgz-scale "$ROOT/work" 2>/dev/null || return 0
    MNT=$ROOT/work
    cd "$MNT"
}

need_python() {
    command -v python3 >/dev/null || skip "python3 is needed to make the files"
}

# make_tree DIR NDIRS: DIR/00/000 ... DIR/<NDIRS-1>/999, small and all
# different ("DD/FFF" and a few lines), in a second or two for 100,000.
make_tree() {
    python3 - "$1" "$2" <<'EOF'
import os, sys
top, ndirs = sys.argv[1], int(sys.argv[2])
for d in range(ndirs):
    dn = os.path.join(top, "%02d" % d)
    os.makedirs(dn)
    for f in range(1000):
        fd = os.open(os.path.join(dn, "%03d" % f),
                     os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.write(fd, b"%02d/%03d\n" % (d, f) * (1 + (d + f) % 5))
        os.close(fd)
EOF
}

# tree_data NDIRS: what make_tree's files hold, one after the other in
# name order.
tree_data() {
    python3 - "$1" <<'EOF'
import sys
out = sys.stdout.buffer
for d in range(int(sys.argv[1])):
    for f in range(1000):
        out.write(b"%02d/%03d\n" % (d, f) * (1 + (d + f) % 5))
EOF
}

# sample NDIRS: a few of make_tree's files (first, last, some between).
sample() {
    local last=$(($1 - 1))
    printf '%s\n' 00/000 00/999 "$(printf %02d $((last / 2)))/500" \
        "$(printf %02d "$last")/000" "$(printf %02d "$last")/999"
}

# check_tree DIR NDIRS: every file of DIR became a .gz (nothing else is
# left, no temporary either); all of them decompress with the system gzip,
# in name order, to exactly the data make_tree wrote; the sampled ones
# (kept in $REF/DIR) have their input's mode, mtime and name.
check_tree() {
    local dir=$1 n=$2 f
    [ "$(find "$dir" -type f -name '*.gz' | wc -l)" -eq $((n * 1000)) ]
    [ -z "$(find "$dir" -type f ! -name '*.gz' | head -n 5)" ] ||
        { echo "left in $dir:" $(find "$dir" -type f ! -name '*.gz' | head -n 5) >&2; return 1; }
    (
        set -o pipefail
        find "$dir" -type f -print0 | LC_ALL=C sort -z |
            xargs -0 gzip -dc | cmp - <(tree_data "$n")
    ) || { echo "the .gz files of $dir do not give back its data" >&2; return 1; }
    for f in $(sample "$n"); do
        assert_replaced "$dir/$f"
    done
}

# limited CMD...: run CMD with at most 64 open descriptors; status in
# $status, stderr in $ERR.
limited() {
    status=0
    (ulimit -n 64 && exec "$@") >"$OUT" 2>"$ERR" || status=$?
}

@test "$FILES files as arguments (xargs -0), 64 descriptors" {
    need_python
    fast_fs
    make_tree t "$DIRS"
    keep_ref $(sample "$DIRS" | sed 's|^|t/|')
    # All the names on one pgz command line (xargs would split them at
    # 128 KiB): "./NN/NNN" and its pointer take 17 bytes, 1.7 MB in all.
    status=0
    (
        cd t && find . -type f -print0 |
            (ulimit -n 64 && exec xargs -0 -s 2000000 sh -c \
                'echo run >>"$0/runs"; p=$1; shift; exec "$p" "$@"' "$ROOT" "$PGZ")
    ) >"$OUT" 2>"$ERR" || status=$?
    expect_result 0
    [ "$(wc -l <"$ROOT/runs")" = 1 ] ||
        { echo "xargs ran pgz $(wc -l <"$ROOT/runs") times" >&2; false; }
    check_tree t "$DIRS"
}

# peak_rss CMD...: limited CMD..., under GNU time if it is installed, which
# writes the peak resident set in KiB to $ROOT/rss.
peak_rss() {
    rm -f "$ROOT/rss"
    if [ -x /usr/bin/time ] && /usr/bin/time -f %M true 2>/dev/null; then
        limited /usr/bin/time -f %M -o "$ROOT/rss" "$@"
    else
        limited "$@"
    fi
}

@test "$FILES files under -r, 16 workers, 64 descriptors; memory as for a tenth" {
    need_python
    fast_fs
    make_tree small $((DIRS / 10 > 0 ? DIRS / 10 : 1))
    make_tree t "$DIRS"
    keep_ref $(sample "$DIRS" | sed 's|^|t/|')
    peak_rss "$PGZ" -r -j16 small
    expect_result 0
    local small_rss
    small_rss=$(cat "$ROOT/rss" 2>/dev/null) || true
    peak_rss "$PGZ" -r -j16 t
    expect_result 0
    check_tree t "$DIRS"
    # Nothing is kept per file once the file is done: ten times as many
    # files take no more memory (within 1.5 times and 2 MiB: 90,000 more
    # files keeping 44 bytes each would exceed it).
    if [ ! -f "$ROOT/rss" ]; then
        echo "# peak memory not measured: GNU time is not installed" >&3
    elif [ -n "${SANITIZE:-}" ]; then
        echo "# peak memory not compared under sanitizers" >&3
    else
        local rss
        rss=$(cat "$ROOT/rss")
        echo "# peak RSS: $small_rss KiB for a tenth of the files, $rss KiB for all" >&3
        [ "$rss" -le $((small_rss * 3 / 2 + 2048)) ]
    fi
}

@test "many files in progress at once never run out of 64 descriptors" {
    fast_fs
    local i
    # Files of two blocks: each is opened by the planner, and many can be
    # in progress at once (their blocks are read ahead).
    mkdir two
    for i in $(seq -w 1 300); do
        yes "line $i" | head -c 200000 >"two/f$i"
    done
    # And more workers than 64 descriptors could serve at once.
    mkdir small
    for i in $(seq -w 1 2000); do
        echo "file $i" >"small/f$i"
    done
    cp -a two small "$REF/"
    # With O_TMPFILE, and with named temporaries (which also hold their
    # directory open).
    local named d
    for named in no yes; do
        echo "named temporaries: $named"
        if [ "$named" = yes ]; then export PGZ_NO_O_TMPFILE=1; fi
        limited "$PGZ" -j16 -r two
        expect_result 0
        limited "$PGZ" -j64 -r small
        expect_result 0
        for d in two small; do
            [ -z "$(find "$d" -type f ! -name '*.gz')" ]
            gzip -dr "$d"
            diff -r "$d" "$REF/$d"
        done
    done
    unset PGZ_NO_O_TMPFILE
}

# at OFFSET TEXT: write TEXT into big at OFFSET (the rest stays a hole).
at() {
    printf '%s' "$2" | dd of=big bs=1 seek="$1" conv=notrunc status=none
}

@test "a file over 4 GiB: ISIZE modulo 2^32, -l gives the whole size, gzip reads it back" {
    [ -z "${SANITIZE:-}" ] || skip "4 GiB through sanitized code takes too long"
    fast_fs
    local size=$((4 * 1024 * 1024 * 1024 + 256 * 1024 * 1024))
    truncate -s "$size" big ||
        skip "cannot make a sparse file of $size bytes here"
    at 0 "first bytes"
    at $((4 * 1024 * 1024 * 1024 - 1)) "across 4 GiB"
    at $((4 * 1024 * 1024 * 1024 + 5)) "after 4 GiB"
    at $((size - 10)) "last bytes"
    [ "$(stat -c %s big)" = "$size" ]
    local mtime
    mtime=$(stat -c %Y big)
    # One member (zlib), so that its ISIZE wraps; libdeflate's members are
    # 1 MiB each.
    run_pgz --engine=zlib -k -1 big
    expect_result 0
    assert_names big big.gz
    [ "$(stat -c '%s %Y' big)" = "$size $mtime" ]
    assert_gzip_magic big.gz
    assert_header_name big.gz big
    # The trailer's ISIZE (little-endian) is the size modulo 2^32.
    local csize isize
    csize=$(stat -c %s big.gz)
    read -r isize < <(od -An -tu4 -j $((csize - 4)) -N4 big.gz)
    [ "$isize" = $((size % (1 << 32))) ]
    # -l decodes the whole member and shows the full size; the ratio leaves
    # out the header ("big" stored: 14 bytes) and the trailer (8).
    local ratio
    ratio=$(awk -v c="$csize" -v u="$size" \
        'BEGIN { printf "%5.1f", 100 * (u - (c - 22)) / u }')
    run_pgz -l big.gz
    expect_result 0
    cmp "$OUT" <(printf '%19s %19s  ratio uncompressed_name\n' compressed uncompressed
                 printf '%19d %19d %s%% big\n' "$csize" "$size" "$ratio")
    # Both decoders give back every byte, and check CRC-32 and length.
    local -a st
    "$PGZ" -dc big.gz | cmp - big
    st=("${PIPESTATUS[@]}")
    [ "${st[*]}" = "0 0" ]
    gzip -dc big.gz | cmp - big
    st=("${PIPESTATUS[@]}")
    [ "${st[*]}" = "0 0" ]
}
