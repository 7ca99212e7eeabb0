#!/usr/bin/env bats
# Faults from outside (issue 5, "nothing lost, ever"): a full disk, no
# inode left, the output directory removed, moved away or made read-only
# while pgz writes into it.  Whatever happens, each file is either done
# (its output complete, valid for the system gzip, the input gone unless
# -k) or untouched (its input byte for byte as it was, no output); each
# failure gets one line in gzip's words; no temporary is left anywhere, and
# no hidden file keeps holding space.  Each case runs with O_TMPFILE and
# with named temporaries (PGZ_NO_O_TMPFILE=1).

load helpers

# helpers.bash's teardown under another name: ours first stops what a
# failed test may have left running and unmounts the small file system.
eval "helpers_$(declare -f teardown)"

teardown() {
    cd /
    if [ -n "${PGZ_PID:-}" ]; then
        kill -KILL "$PGZ_PID" 2>/dev/null || true
        wait "$PGZ_PID" 2>/dev/null || true
    fi
    if [ -n "${MNT:-}" ]; then
        umount "$MNT" 2>/dev/null || umount -l "$MNT"
    fi
    helpers_teardown
}

MODES=(tmpfile named)
PAGE=$(getconf PAGESIZE)

# with_mode MODE CMD...: CMD with O_TMPFILE outputs (tmpfile) or with
# named temporaries (named).  Says what it runs, for a failing test's log.
with_mode() {
    echo "[$1] ${*:2}"
    if [ "$1" = named ]; then
        PGZ_NO_O_TMPFILE=1 "${@:2}"
    else
        "${@:2}"
    fi
}

# ---- a small file system ----------------------------------------------------

# small_fs PAGES [OPTION...]: mount a tmpfs of PAGES memory pages (tmpfs
# counts space in pages) on the working directory and go there.  Skips
# when mounting is not possible (not root, no CAP_SYS_ADMIN).
small_fs() {
    local opts="size=$(($1 * PAGE))"
    shift
    local o
    for o in "$@"; do opts+=",$o"; done
    [ "$(id -u)" = 0 ] || skip "mounting a small tmpfs needs root"
    mount -t tmpfs -o "$opts" pgz-test "$ROOT/work" 2>"$ROOT/mount.err" ||
        skip "cannot mount a tmpfs here: $(cat "$ROOT/mount.err")"
    MNT=$ROOT/work
    cd "$MNT"
}

free_pages() {
    stat -f -c %f "$MNT"
}

# pages N: N pages less 256 bytes, so that the gzip file of N pages of
# random data (a few dozen bytes more) still fits in N pages.
pages() {
    echo $(($1 * PAGE - 256))
}

# ---- what a run left --------------------------------------------------------

# untouched FILE [OUTPUT]: FILE is as in $REF (bytes, mode, mtime) and
# OUTPUT does not exist.
untouched() {
    cmp -- "$1" "$REF/$1" || { echo "$1 changed" >&2; return 1; }
    assert_same_mode_mtime "$1" "$REF/$1"
    [ -z "${2:-}" ] || [ ! -e "$2" ] || { echo "$2 exists" >&2; return 1; }
}

# compressed NAME [KEEP]: NAME.gz is NAME's data for the system gzip, with
# NAME's mode, mtime and name; NAME is gone, or with KEEP untouched.
compressed() {
    if [ -n "${2:-}" ]; then
        untouched "$1"
        assert_roundtrip "$1.gz" "$REF/$1"
        assert_same_mode_mtime "$1.gz" "$REF/$1"
    else
        assert_replaced "$1"
    fi
}

# decompressed NAME.gz [KEEP]: NAME is $REF/NAME, with NAME.gz's mode and
# mtime; NAME.gz is gone, or with KEEP untouched.
decompressed() {
    local name=${1%.gz}
    cmp -- "$name" "$REF/$name" || { echo "$name is wrong" >&2; return 1; }
    assert_same_mode_mtime "$name" "$REF/$1"
    if [ -n "${2:-}" ]; then
        untouched "$1"
    else
        [ ! -e "$1" ] || { echo "$1 still exists" >&2; return 1; }
    fi
}

# no_temporaries: no .pgz.* file anywhere under $ROOT.
no_temporaries() {
    local left
    left=$(find "$ROOT" -name '.pgz.*')
    [ -z "$left" ] && return 0
    echo "temporaries left:" $left >&2
    return 1
}

# check_full_run MODE KEEP NAME...: after `pgz [-d]` on NAME... with too
# little space for all the outputs: each NAME is either done, with no
# message, or failed with exactly "pgz: OUTPUT: No space left on device",
# untouched and without output.  stderr is those lines, in argument order;
# the status is 1 if one failed, else 0; no temporary is left.  MODE is
# compress (NAME -> NAME.gz) or decompress (NAME -> NAME without .gz).
# Sets FAILED to the names that failed, space-separated.
check_full_run() {
    local mode=$1 keep=$2 name out line
    local -a lines=()
    shift 2
    FAILED=
    for name in "$@"; do
        if [ "$mode" = compress ]; then out=$name.gz; else out=${name%.gz}; fi
        line="pgz: $out: No space left on device"
        if grep -qxF -- "$line" "$ERR"; then
            FAILED+="${FAILED:+ }$name"
            lines+=("$line")
            untouched "$name" "$out"
        elif [ "$mode" = compress ]; then
            compressed "$name" "$keep"
        else
            decompressed "$name" "$keep"
        fi
    done
    expect_result $((${#lines[@]} > 0)) "${lines[@]}"
    expect_no_stdout
    no_temporaries
}

# undo_run_and_check_space FREE MODE NAME...: remove the outputs of NAME...
# and put back the inputs that pgz removed (from $REF, with mode and
# times), then the file system has exactly FREE pages free again: no
# hidden file, open or not, still holds space.
undo_run_and_check_space() {
    local free=$1 mode=$2 name out
    shift 2
    for name in "$@"; do
        if [ "$mode" = compress ]; then out=$name.gz; else out=${name%.gz}; fi
        rm -f -- "$out"
        [ -e "$name" ] || cp -p -- "$REF/$name" "$name"
    done
    local now
    now=$(free_pages)
    [ "$now" = "$free" ] && return 0
    echo "$now pages free after the run, $free before" >&2
    return 1
}

# ---- a full disk ----------------------------------------------------------------

@test "full disk, -k: the outputs that fit are made, the others fail alone" {
    small_fs 256
    local i
    for i in 1 2 3 4; do
        make_input "r$i" random "$(pages 40)"
    done
    for i in 1 2 3; do
        make_input "t$i" text 4000
    done
    local -a args=(r1 t1 r2 t2 r3 t3 r4)
    local free mode
    free=$(free_pages)     # 256 - 4 * 40 - 3 = 93
    for mode in "${MODES[@]}"; do
        # One at a time: r1.gz, t1.gz, r2.gz and t2.gz take 82 pages, r3.gz
        # and r4.gz find 11 and 10 and fail, t3.gz fits in what is left.
        with_mode "$mode" run_pgz -k -j1 "${args[@]}"
        check_full_run compress -k "${args[@]}"
        [ "$FAILED" = "r3 r4" ]
        undo_run_and_check_space "$free" compress "${args[@]}"
        # In parallel: which of r1..r4 fail depends on timing, but at least
        # two do.
        with_mode "$mode" run_pgz -k -j4 "${args[@]}"
        check_full_run compress -k "${args[@]}"
        [ "$(echo "$FAILED" | tr ' ' '\n' | grep -c '^r')" -ge 2 ]
        undo_run_and_check_space "$free" compress "${args[@]}"
    done
}

@test "full disk: a file with no room for its output is kept, the others replaced" {
    small_fs 256
    make_input x random "$(pages 150)"
    local i
    for i in 1 2 3; do
        make_input "r$i" random "$(pages 16)"
        make_input "t$i" text 4000
    done
    local -a args=(r1 x t1 r2 t2 r3 t3)
    local free mode jobs
    free=$(free_pages)     # 256 - 150 - 3 * 17 = 55: never enough for x.gz
    for mode in "${MODES[@]}"; do
        for jobs in 1 4; do
            with_mode "$mode" run_pgz -j"$jobs" "${args[@]}"
            check_full_run compress "" "${args[@]}"
            if [ "$jobs" = 1 ]; then
                [ "$FAILED" = x ]
            else
                [[ " $FAILED " == *" x "* ]]
            fi
            undo_run_and_check_space "$free" compress "${args[@]}"
        done
    done
}

@test "full disk under -r: files done in order until the space runs out" {
    small_fs 388
    local i
    local -a names=()
    for i in $(seq -w 1 20); do
        make_input "d/r$i" random "$(pages 12)"
        names+=("d/r$i")
    done
    for i in 1 2 3; do
        make_input "d/t$i" text 2000
        names+=("d/t$i")
    done
    local free mode
    free=$(free_pages)     # 388 - 20 * 12 - 3 = 145 (the directory takes none)
    for mode in "${MODES[@]}"; do
        # In name order: 12 outputs of 12 pages fit, 1 page is left, the
        # next 8 fail; that page is enough for t1.gz, not for t2.gz, t3.gz.
        with_mode "$mode" run_pgz -r -k -j1 d
        check_full_run compress -k "${names[@]}"
        [ "$FAILED" = "$(printf 'd/r%s ' $(seq 13 20))d/t2 d/t3" ]
        undo_run_and_check_space "$free" compress "${names[@]}"
        # In parallel, at most 12 of the 20 fit, whichever they are.
        with_mode "$mode" run_pgz -r -k -j4 d
        check_full_run compress -k "${names[@]}"
        [ "$(echo "$FAILED" | tr ' ' '\n' | grep -c '^d/r')" -ge 8 ]
        undo_run_and_check_space "$free" compress "${names[@]}"
    done
}

@test "full disk with a big file in blocks (-b 64): it fails alone, no temporary" {
    small_fs 256
    make_input big random "$(pages 160)"
    local i
    for i in 1 2 3; do
        make_input "s$i" random "$(pages 8)"
    done
    make_input t text 20000
    local -a args=(s1 big s2 t s3)
    local free mode jobs keep
    free=$(free_pages)     # 256 - 160 - 3 * 8 - 5 = 67: big.gz never fits
    for mode in "${MODES[@]}"; do
        for keep in -k ""; do
            for jobs in 1 2 4; do
                with_mode "$mode" run_pgz $keep -j"$jobs" -b 64 "${args[@]}"
                check_full_run compress "$keep" "${args[@]}"
                if [ "$jobs" = 1 ]; then
                    [ "$FAILED" = big ]
                else
                    [[ " $FAILED " == *" big "* ]]
                fi
                undo_run_and_check_space "$free" compress "${args[@]}"
            done
        done
    done
}

@test "full disk when decompressing: the data that fits is restored, the rest kept" {
    small_fs 256
    make_input x random "$(pages 120)"
    local i
    for i in 1 2 3; do
        make_input "r$i" random "$(pages 16)"
    done
    make_input t text 50000
    local -a args=()
    for i in r1 x t r2 r3; do      # compressed outside: x and x.gz do not fit
        gzip -1 -c "$i" >"$ROOT/$i.gz"
        touch -r "$i" "$ROOT/$i.gz"
        rm "$i"
        args+=("$i.gz")
    done
    mv "$ROOT"/*.gz .
    keep_ref "${args[@]}"
    local free mode keep jobs
    # 256 - 120 - 3 * 16 - 1 = 87 free: x never fits.  With -k, one at a
    # time: r1 (16 pages), then x fails, then t (13), r2 and r3 (16 each)
    # fit in the 71 left.
    free=$(free_pages)
    for mode in "${MODES[@]}"; do
        for keep in -k ""; do
            for jobs in 1 3; do
                with_mode "$mode" run_pgz -d $keep -j"$jobs" "${args[@]}"
                check_full_run decompress "$keep" "${args[@]}"
                if [ "$jobs" = 1 ]; then
                    [ "$FAILED" = x.gz ]
                else
                    [[ " $FAILED " == *" x.gz "* ]]
                fi
                undo_run_and_check_space "$free" decompress "${args[@]}"
            done
        done
    done
}

@test "no inode left: no output can be created, every input kept" {
    # The root directory and the two inputs take the three inodes.
    small_fs 256 nr_inodes=3
    make_input a text 1000
    make_input b random 40000
    snap
    local mode
    for mode in "${MODES[@]}"; do
        with_mode "$mode" run_pgz a b
        expect_result 1 "pgz: a.gz: No space left on device" \
            "pgz: b.gz: No space left on device"
        assert_tree_unchanged
        with_mode "$mode" run_pgz -k -b 32 -j3 b a
        expect_result 1 "pgz: b.gz: No space left on device" \
            "pgz: a.gz: No space left on device"
        assert_tree_unchanged
    done
    # Nothing to create with -c: it works.
    run_pgz -c a b
    expect_status 0
    cmp <(gzip -dc "$OUT") <(cat a b)
}

# ---- the output directory goes away ---------------------------------------------
#
# pgz is stopped (SIGSTOP) in the middle of a file, the directory is
# removed, moved or made read-only, and pgz is let go on (SIGCONT): the
# fault lands mid-file every time, however fast or slow the machine.

# fds_on PID PATTERN: how many of PID's descriptors are open on a path
# matching the glob PATTERN (an O_TMPFILE shows as DIR/#INODE (deleted)).
fds_on() {
    find "/proc/$1/fd" -mindepth 1 -lname "$2" 2>/dev/null | wc -l
}

# wait_until WHAT CONDITION: poll the shell CONDITION every 10 ms while
# pgz ($PGZ_PID) runs, for at most 60 s.
wait_until() {
    local i
    for ((i = 0; i < 6000; i++)); do
        eval "$2" && return 0
        kill -0 "$PGZ_PID" 2>/dev/null ||
            { echo "pgz ended before $1" >&2; return 1; }
        sleep 0.01
    done
    echo "timed out waiting for $1" >&2
    return 1
}

# start_pgz CMD...: start CMD (pgz and its arguments, or a command that
# execs pgz) in the background, stdout in $OUT and stderr in $ERR.  Sets
# PGZ_PID.
start_pgz() {
    [ -d /proc/self/fd ] || skip "needs /proc to see what pgz has open"
    "$@" >"$OUT" 2>"$ERR" 3>&- &
    PGZ_PID=$!
}

# stop_in DIR: wait until pgz has two files open in DIR (an input and the
# output it is writing), then stop it there, and check it really is still
# in the middle of that file.
stop_in() {
    local pattern="$PWD/$1/*"
    wait_until "it had a file and its output open in $1" \
        '[ "$(fds_on "$PGZ_PID" "$pattern")" -ge 2 ]'
    kill -STOP "$PGZ_PID"
    [ "$(fds_on "$PGZ_PID" "$pattern")" -ge 2 ] ||
        { echo "pgz went past the file in $1 before it could be stopped" >&2; return 1; }
}

# resume: let the stopped pgz go on and wait for it; sets $status.
resume() {
    kill -CONT "$PGZ_PID"
    status=0
    wait "$PGZ_PID" || status=$?
    PGZ_PID=
}

# fresh_tree: d/big (16 MB of random data: a second at -9 on one
# worker) and e/s1 e/s2, as in $REF.
fresh_tree() {
    rm -rf d e gone
    cp -a "$REF/d" "$REF/e" .
}

make_dir_tree() {
    make_input d/big random 16000000
    make_input e/s1 text 5000
    make_input e/s2 random 5000
}

@test "output directory removed mid-file: that file fails, the others are done" {
    make_dir_tree
    local mode how
    for mode in "${MODES[@]}"; do
        for how in args -r; do
            fresh_tree
            if [ "$how" = args ]; then
                with_mode "$mode" start_pgz "$PGZ" -j1 -9 d/big e/s1 e/s2
            else
                with_mode "$mode" start_pgz "$PGZ" -j1 -9 -r d e
            fi
            stop_in d
            rm -rf d
            resume
            expect_result 1 "pgz: d/big.gz: No such file or directory"
            assert_replaced e/s1
            assert_replaced e/s2
            assert_names e/ e/s1.gz e/s2.gz
            no_temporaries
        done
    done
}

# pgz works through the descriptor of the directory it found a file in,
# never through its name again: a directory moved (or replaced) while pgz
# works keeps the output, and loses the input, as if it had stayed put.
@test "output directory moved away mid-file: the output goes with it, no temporary" {
    make_dir_tree
    local mode
    for mode in "${MODES[@]}"; do
        fresh_tree
        with_mode "$mode" start_pgz "$PGZ" -j1 -9 d/big e/s1 e/s2
        stop_in d
        mv d gone
        resume
        expect_result 0
        assert_roundtrip gone/big.gz "$REF/d/big"
        assert_same_mode_mtime gone/big.gz "$REF/d/big"
        assert_replaced e/s1
        assert_replaced e/s2
        assert_names e/ e/s1.gz e/s2.gz gone/ gone/big.gz
        no_temporaries
    done
}

@test "output directory replaced mid-file: the output lands in the old one, the new one is untouched" {
    make_dir_tree
    local mode
    for mode in "${MODES[@]}"; do
        fresh_tree
        with_mode "$mode" start_pgz "$PGZ" -j1 -9 d/big e/s1
        stop_in d
        mv d gone
        mkdir d
        resume
        expect_result 0
        assert_roundtrip gone/big.gz "$REF/d/big"
        assert_same_mode_mtime gone/big.gz "$REF/d/big"
        assert_replaced e/s1
        assert_names d/ e/ e/s1.gz e/s2 gone/ gone/big.gz
        no_temporaries
    done
}

@test "directory removed before pgz reaches its files: one error each, the rest done" {
    make_input big random 8000000
    make_input d/f1 text 100
    make_input d/f2 text 200
    make_input e/s1 text 300
    local mode how fd
    for mode in "${MODES[@]}"; do
        for how in args -r; do
            rm -rf big big.gz d e
            cp -a "$REF/big" "$REF/d" "$REF/e" .
            if [ "$how" = args ]; then
                with_mode "$mode" start_pgz "$PGZ" -j1 -9 big d/f1 d/f2 e/s1
            else
                with_mode "$mode" start_pgz "$PGZ" -j1 -9 -r big d e
            fi
            # Stop it while it still reads big (in blocks, before d).
            wait_until "it opened big" '[ "$(fds_on "$PGZ_PID" "$PWD/big")" = 1 ]'
            kill -STOP "$PGZ_PID"
            fd=$(find "/proc/$PGZ_PID/fd" -lname "$PWD/big" -printf '%f\n')
            [ "$(awk '$1 == "pos:" { print $2 }' "/proc/$PGZ_PID/fdinfo/$fd")" -lt 8000000 ]
            rm -rf d
            resume
            if [ "$how" = args ]; then
                expect_result 1 "pgz: d/f1: No such file or directory" \
                    "pgz: d/f2: No such file or directory"
            else
                expect_result 1 "pgz: d: No such file or directory"
            fi
            assert_replaced big
            assert_replaced e/s1
            assert_names big.gz e/ e/s1.gz
            no_temporaries
        done
    done
}

@test "output directory made read-only mid-file: Permission denied, input kept" {
    as_nobody true ||
        skip "running as root and cannot drop privileges (setpriv failed)"
    shared_dir
    mkdir "$SHARED/w"
    cd "$SHARED/w"
    make_dir_tree
    # Root runs pgz as nobody, and gives nobody the files.
    local -a nobody=() give=(true)
    if [ "$(id -u)" = 0 ]; then
        nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
        give=(chown -R 65534:65534)
    fi
    "${give[@]}" "$SHARED/w"
    local mode
    for mode in "${MODES[@]}"; do
        chmod -R u+w d e 2>/dev/null || true
        fresh_tree
        "${give[@]}" d e
        with_mode "$mode" start_pgz "${nobody[@]}" "$SHARED/pgz" -j1 -9 d/big e/s1 e/s2
        stop_in d
        chmod a-w d
        resume
        expect_result 1 "pgz: d/big.gz: Permission denied"
        cmp d/big "$REF/d/big"
        assert_same_mode_mtime d/big "$REF/d/big"
        assert_replaced e/s1
        assert_replaced e/s2
        if [ "$mode" = tmpfile ]; then
            assert_names d/ d/big e/ e/s1.gz e/s2.gz
        else
            # A named temporary cannot be removed from a directory that is
            # no longer writable; it is left empty.
            local left
            left=$(cd d && echo .pgz.*)
            [ -f "d/$left" ]
            [ ! -s "d/$left" ]
            assert_names d/ d/big "d/$left" e/ e/s1.gz e/s2.gz
        fi
    done
}

# ---- the input changes under pgz ------------------------------------------------

@test "a file that grows or shrinks while it is read: gzip's warning, input kept" {
    make_input d/big random 8000000
    local mode change path
    for mode in "${MODES[@]}"; do
        # One stream by one worker (a block bigger than the file), and in
        # blocks read by the planner.  The stream with zlib, which reads as
        # it compresses: libdeflate reads the whole block before it
        # compresses it, so pgz is past the end before it can be stopped.
        for path in "--engine=zlib -b 65536" "-b 128"; do
            for change in grow shrink; do
                rm -rf d && cp -a "$REF/d" .
                with_mode "$mode" start_pgz "$PGZ" -j1 -9 $path d/big
                stop_in d
                if [ "$change" = grow ]; then
                    head -c 300000 /dev/urandom >>d/big
                else
                    truncate -s 6000000 d/big
                fi
                resume
                expect_result 2 "pgz: d/big: file size changed while zipping"
                # The input is kept; the output holds exactly what was
                # read: a prefix of the file as it was (shrunk: the engine
                # may have read past the new end before it was stopped) or
                # as it is now (grown), at least as long as the shorter.
                [ -f d/big ] && [ -f d/big.gz ]
                gzip -t d/big.gz
                gzip -dc d/big.gz >"$ROOT/got"
                local src=d/big least=8000000 got
                if [ "$change" = shrink ]; then
                    src=$REF/d/big least=6000000
                fi
                got=$(stat -c %s "$ROOT/got")
                [ "$got" -ge "$least" ]
                cmp "$ROOT/got" <(head -c "$got" "$src")
                assert_names d/ d/big d/big.gz
                no_temporaries
            done
        done
    done
}

# ---- memory exhausted ---------------------------------------------------------

# Under a small address space (ulimit -v), a file in 64 MiB blocks needs
# more than there is as soon as a few blocks are read, whatever the
# workers do meanwhile: the allocation fails with the big file's output
# already created (a named temporary, or an O_TMPFILE).
@test "memory exhausted in any thread: gzip's message, status 1, no temporary, input kept" {
    [ -z "${SANITIZE:-}" ] || skip "sanitizers reserve more address space than ulimit -v allows"
    truncate -s 300M big
    make_input small text 1000
    local mode keep
    for mode in "${MODES[@]}"; do
        for keep in -k ""; do
            with_mode "$mode" run_cmd bash -c \
                "ulimit -v 150000 && exec '$PGZ' $keep -j4 -b 65536 small big"
            expect_result 1 "pgz: memory_exhausted"
            expect_no_stdout
            no_temporaries
            [ "$(stat -c %s big)" = $((300 << 20)) ]
            cmp big /dev/zero 2>&1 | grep -q "EOF on big"
            [ ! -e big.gz ]
            # The small file was done or untouched, never half done.
            if [ -n "$keep" ]; then
                untouched small
                [ ! -e small.gz ] || assert_roundtrip small.gz "$REF/small"
            elif [ -e small ]; then
                untouched small small.gz
            else
                assert_replaced small
            fi
            rm -f small.gz
            [ -e small ] || cp -p "$REF/small" small
        done
    done
}
