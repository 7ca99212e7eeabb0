#!/usr/bin/env bats
# Side by side with the system gzip: for the same files and arguments, pgz
# must exit with gzip's status, print gzip's messages (program name aside)
# and leave the same file tree (names, types, modes, sizes of what is not
# compressed output).

load helpers

setup_file() {
    command -v gzip >/dev/null || skip "no system gzip to compare with"
}

# tree_shape: the tree, without what may differ between the two deflaters
# (.gz sizes) or between the two runs (times).
tree_shape() {
    find . -mindepth 1 \( \( -name '*.gz' -o -name '*.xxxxxxxxxx*' \) \
        -printf '%p %y %m\n' \) \
        -o -printf '%p %y %m %s\n' | LC_ALL=C sort
}

# same_as_gzip SETUP ARG...: run the function SETUP in two fresh
# directories, then `gzip ARG...` in one and `pgz ARG...` in the other;
# compare status, stderr and trees.
same_as_gzip() {
    local setup=$1 gstatus=0 pstatus=0
    shift
    mkdir g p
    (cd g && "$setup")
    (cd p && "$setup")
    (cd g && gzip "$@" </dev/null >"$ROOT/g.out" 2>"$ROOT/g.err") ||
        gstatus=$?
    (cd p && "$PGZ" "$@" </dev/null >"$ROOT/p.out" 2>"$ROOT/p.err") ||
        pstatus=$?
    sed "s/^gzip: /pgz: /; s/\`gzip --help'/\`pgz --help'/" "$ROOT/g.err" \
        >"$ROOT/g.err.pgz"
    diff "$ROOT/g.err.pgz" "$ROOT/p.err" >&2 ||
        { echo "stderr differs (< gzip, > pgz)" >&2; return 1; }
    [ "$gstatus" = "$pstatus" ] ||
        { echo "exit status: gzip $gstatus, pgz $pstatus" >&2; return 1; }
    diff <(cd g && tree_shape) <(cd p && tree_shape) >&2 ||
        { echo "trees differ (< gzip, > pgz)" >&2; return 1; }
    if [ -s "$ROOT/g.out" ] || [ -s "$ROOT/p.out" ]; then
        cmp <(gzip -dc "$ROOT/g.out") <(gzip -dc "$ROOT/p.out")
    fi
}

SUFFIX30=.xxxxxxxxxxxxxxxxxxxxxxxxxxxxx

# ---- setups ------------------------------------------------------------------

file_with_mode() { echo data >f && chmod "$MODE" f; }
setuid_file() { MODE=4644 file_with_mode; }
setgid_file() { MODE=2644 file_with_mode; }
sticky_file() { MODE=1644 file_with_mode; }
odd_modes() { MODE=0604 file_with_mode && echo x >g && chmod 0400 g; }
linked_gz() { echo x >x.gz && ln x.gz y; }
gz_and_gzgz() { echo x >x.gz && echo y >x.gz.gz; }
dir_named_gz() { mkdir d.gz && echo q >d.gz/a; }
plain_files() { echo a >a && echo bb >b && mkdir d && echo x >x.gz; }
links() { echo t >target && ln -s target sl && ln -s nowhere dang; }
fifo() { mkfifo ff; }
hard_links() { echo x >hl && ln hl other; }
existing_output() { echo a >a && echo old >a.gz; }
old_and_existing() { existing_output && touch -d @0 a; }
link_to_dir() { mkdir d && echo x >d/x && ln -s d sl; }

# ---- the comparisons ------------------------------------------------------------

@test "compat: a set-user-ID file is ignored" { same_as_gzip setuid_file f; }
@test "compat: a set-user-ID file is ignored even with -f" { same_as_gzip setuid_file -f f; }
@test "compat: a set-user-ID file goes to stdout with -c" { same_as_gzip setuid_file -c f; }
@test "compat: a set-group-ID file is ignored" { same_as_gzip setgid_file f; }
@test "compat: a set-group-ID file is ignored even with -f" { same_as_gzip setgid_file -kf f; }
@test "compat: a sticky file is ignored without -f" { same_as_gzip sticky_file -k f; }
@test "compat: a sticky file is compressed with -f" { same_as_gzip sticky_file -f f; }
@test "compat: unusual modes are kept" { same_as_gzip odd_modes f g; }
@test "compat: a hard-linked .gz file: the link count first" { same_as_gzip linked_gz x.gz; }
@test "compat: the suffix check comes before the existing output" { same_as_gzip gz_and_gzgz x.gz; }
@test "compat: a directory named d.gz" { same_as_gzip dir_named_gz d.gz; }
@test "compat: -r into a directory named d.gz" { same_as_gzip dir_named_gz -r d.gz; }
@test "compat: a mixed bag of operands" { same_as_gzip plain_files a nope d x.gz b; }
@test "compat: the same, with -k" { same_as_gzip plain_files -k b nope x.gz d a; }
@test "compat: -c on a directory" { same_as_gzip plain_files -c d a; }
@test "compat: -S with a file already ending in .gz" { same_as_gzip plain_files -S .sfx x.gz; }
@test "compat: a file operand with a trailing slash" { same_as_gzip plain_files a/; }
@test "compat: symlinks without -f" { same_as_gzip links sl dang; }
@test "compat: symlinks with -f" { same_as_gzip links -f sl dang; }
@test "compat: symlinks with -c" { same_as_gzip links -c sl dang; }
@test "compat: a FIFO with -f" { same_as_gzip fifo -f ff; }
@test "compat: hard links with -k" { same_as_gzip hard_links -k hl; }
@test "compat: hard links with -f" { same_as_gzip hard_links -f hl; }
@test "compat: an existing output" { same_as_gzip existing_output a; }
@test "compat: an existing output with -f" { same_as_gzip existing_output -f a; }
@test "compat: an existing output with -c" { same_as_gzip existing_output -c a; }
@test "compat: bad options" { same_as_gzip plain_files -x a; }
@test "compat: an unknown long option" { same_as_gzip plain_files --nope a; }
@test "compat: an empty suffix" { same_as_gzip plain_files -S '' a; }
@test "compat: a bad timestamp and an existing output" { same_as_gzip old_and_existing a; }
@test "compat: a bad timestamp with -c" { same_as_gzip old_and_existing -c a; }
@test "compat: -r on a symlink to a directory" { same_as_gzip link_to_dir -r sl; }
@test "compat: -rf on a symlink to a directory" { same_as_gzip link_to_dir -rfk sl; }
@test "compat: a 30-byte suffix is fine" { same_as_gzip plain_files -S "$SUFFIX30" a; }
@test "compat: a 31-byte suffix is too long" { same_as_gzip plain_files -S "${SUFFIX30}x" a; }
@test "compat: -rc writes every file of a tree to stdout" { same_as_gzip dir_named_gz -rc d.gz; }
