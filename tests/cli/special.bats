#!/usr/bin/env bats
# Issue 10, section 4: special files under -c, -t and -l, as gzip.  gzip
# refuses a file that is not regular only when it would replace it: with
# -c, -t and -l, FIFOs (pipes, process substitutions, /dev/stdin) and
# character devices are read, as streams.  Everything is compared side by
# side with the system gzip: status, stderr (program name aside), stdout.
#
# The system gzip (1.12 on Debian) prints a blank line before "unexpected
# end of file"; pgz, like the rest of its tests, does not: blank lines are
# left out of both stderrs.

load helpers

setup_file() {
    command -v gzip >/dev/null || skip "no system gzip to compare with"
}

# inputs: h.gz ("hello"), r (300 KB, more than a block and than a pipe
# holds) and r.gz.
inputs() {
    echo hello | gzip >h.gz
    head -c 300000 /dev/urandom >r
    gzip -c r >r.gz
}

# side_by_side [-z] CMD: run the shell command CMD with $P the system
# gzip, then with $P pgz, in the current directory, stdin from /dev/null
# unless CMD redirects it; compare exit statuses, stderrs and stdouts (with
# -z, stdout is gzip data: compare what it decompresses to, and its header's
# flags, MTIME and stored name).  pgz's results are left in $status, $OUT,
# $ERR.
side_by_side() {
    local gz=false gstatus=0
    if [ "$1" = -z ]; then gz=true; shift; fi
    local cmd=$1
    P=gzip timeout 30 bash -c "$cmd" </dev/null >"$ROOT/g.out" 2>"$ROOT/g.err" ||
        gstatus=$?
    status=0
    P=$PGZ timeout 30 bash -c "$cmd" </dev/null >"$OUT" 2>"$ERR" || status=$?
    echo "$cmd -- gzip: status $gstatus, pgz: status $status; pgz said:"
    cat "$ERR"
    sed '/^$/d; s/^gzip: /pgz: /' "$ROOT/g.err" >"$ROOT/g.err.pgz"
    sed '/^$/d' "$ERR" >"$ROOT/p.err"
    diff "$ROOT/g.err.pgz" "$ROOT/p.err" >&2 ||
        { echo "stderr differs (< gzip, > pgz)" >&2; return 1; }
    [ "$gstatus" = "$status" ] ||
        { echo "exit status: gzip $gstatus, pgz $status" >&2; return 1; }
    if ! $gz; then
        cmp "$ROOT/g.out" "$OUT" ||
            { echo "stdout differs: gzip, then pgz:" >&2
              head -c 300 "$ROOT/g.out" >&2; head -c 300 "$OUT" >&2; return 1; }
        return 0
    fi
    cmp <(gzip -dc "$ROOT/g.out") <(gzip -dc "$OUT") ||
        { echo "pgz's output does not decompress to gzip's" >&2; return 1; }
    [ "$(gz_flags "$ROOT/g.out")" = "$(gz_flags "$OUT")" ] ||
        { echo "FLG: gzip $(gz_flags "$ROOT/g.out"), pgz $(gz_flags "$OUT")" >&2
          return 1; }
    [ "$(gz_mtime "$ROOT/g.out")" = "$(gz_mtime "$OUT")" ] ||
        { echo "MTIME: gzip $(gz_mtime "$ROOT/g.out"), pgz $(gz_mtime "$OUT")" >&2
          return 1; }
    cmp <(stored_name "$ROOT/g.out") <(stored_name "$OUT") ||
        { echo "stored names differ" >&2; return 1; }
}

# stored_name GZ: the header's FNAME field, if any.
stored_name() {
    (($(gz_flags "$1") & 8)) || return 0
    tail -c +11 "$1" | head -c 4096 | tr '\0' '\n' | head -n 1
}

# ---- read as streams under -c, -t, -l ------------------------------------------

@test "-dc of a process substitution (a pipe) prints it" {
    inputs
    side_by_side '"$P" -dc <(cat h.gz)'
    [ "$(cat "$OUT")" = hello ]
    side_by_side '"$P" -dc <(cat r.gz)'
    cmp "$OUT" r
}

@test "-dc /dev/stdin with a pipe on stdin prints it" {
    inputs
    side_by_side 'cat h.gz | "$P" -dc /dev/stdin'
    [ "$(cat "$OUT")" = hello ]
    side_by_side 'cat r.gz | "$P" -dc /dev/stdin'
    cmp "$OUT" r
}

@test "-dc of a pipe between regular files, in order" {
    inputs
    side_by_side '"$P" -dc h.gz <(cat r.gz) h.gz'
    cmp "$OUT" <(echo hello; cat r; echo hello)
}

@test "-t of a pipe tests it" {
    inputs
    side_by_side '"$P" -t <(cat h.gz)'
    side_by_side '"$P" -tv <(cat r.gz)'
    side_by_side 'cat h.gz | "$P" -tv /dev/stdin'
    # A bad stream fails as gzip fails.
    side_by_side '"$P" -t <(head -c 1000 r.gz)'
    expect_status 1
}

@test "-l of a pipe lists it as gzip does" {
    inputs
    side_by_side '"$P" -l <(cat h.gz)'
    side_by_side '"$P" -l <(cat r.gz)'
    side_by_side 'cat r.gz | "$P" -l /dev/stdin'
    side_by_side '"$P" -l h.gz <(cat r.gz)'
    expect_status 0
}

@test "-c of a pipe compresses it" {
    inputs
    side_by_side -z '"$P" -c <(printf hello)'
    expect_status 0
    [ "$(gzip -dc "$OUT")" = hello ]
    side_by_side -z '"$P" -c <(cat r)'
    cmp <(gzip -dc "$OUT") r
    side_by_side -z 'cat r | "$P" -c /dev/stdin'
    cmp <(gzip -dc "$OUT") r
}

@test "-c of a character device: /dev/null" {
    side_by_side -z '"$P" -c /dev/null'
    expect_status 0
    [ -s "$OUT" ]
    [ -z "$(gzip -dc "$OUT")" ]
}

@test "-dc, -t and -l of /dev/null: empty input, as gzip says it" {
    side_by_side '"$P" -dc /dev/null'
    side_by_side '"$P" -t /dev/null'
    side_by_side '"$P" -l /dev/null'
}

# ---- refused when they would be replaced --------------------------------------

@test "without -c, -t or -l a FIFO is still refused" {
    mkfifo p p.gz
    snap
    side_by_side '"$P" p'
    expect_result 2 "pgz: p is not a directory or a regular file - ignored"
    side_by_side '"$P" -d p.gz'
    expect_result 2 "pgz: p.gz is not a directory or a regular file - ignored"
    side_by_side '"$P" -k p'
    expect_status 2
    assert_tree_unchanged
}

@test "without -c, -t or -l a character device is still refused" {
    snap
    side_by_side '"$P" -k /dev/null'
    expect_result 2 "pgz: /dev/null is not a directory or a regular file - ignored"
    side_by_side '"$P" -d /dev/null'
    expect_result 2 "pgz: /dev/null is not a directory or a regular file - ignored"
    assert_tree_unchanged
}

@test "without -c, -t or -l a process substitution is refused (a symlink)" {
    inputs
    snap
    side_by_side '"$P" -d <(cat h.gz)'
    expect_status 1
    side_by_side '"$P" <(cat r)'
    expect_status 1
    assert_tree_unchanged
}
