#!/usr/bin/env bats
# The bash completion (completions/pgz.bash): options as --help prints them,
# their arguments, and operands (gzip names only when decompressing), then
# its installation by make install.

load helpers

COMPLETION=$BATS_TEST_DIRNAME/../../completions/pgz.bash
SRC=$BATS_TEST_DIRNAME/../..

# complete_line LINE [WORD]: what _pgz offers with the cursor at the end of
# the command line LINE, one candidate a line in $OUT (sorted), and the
# compopt options it asked for in $ROOT/compopt.  WORD is the text readline
# replaces, which bash passes as $2: by default the last blank-separated
# word of LINE; with bash's default COMP_WORDBREAKS it is only what follows
# the last '=' or ':' (pass it then).  It runs in a bash of its own, with
# compopt (which works only while bash is completing) replaced by a
# recorder, after the commands in $PRELUDE if set.
complete_line() {
    local line=$1 word=${2-${1##*[[:blank:]]}}
    rm -f "$ROOT/compopt"
    bash -c '
        source "$1" || exit
        eval "$5"
        log=$2
        compopt() { printf "%s\n" "$@" >>"$log"; }
        COMP_LINE=$3 COMP_POINT=${#3}
        read -ra COMP_WORDS <<<"$COMP_LINE"
        [[ $COMP_LINE == *[[:blank:]] ]] && COMP_WORDS+=("")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        _pgz "${COMP_WORDS[0]}" "$4" "${COMP_WORDS[COMP_CWORD - 1]}" || exit
        if [ ${#COMPREPLY[@]} -gt 0 ]; then printf "%s\n" "${COMPREPLY[@]}"; fi
    ' _ "$COMPLETION" "$ROOT/compopt" "$line" "$word" "${PRELUDE-}" >"$ROOT/reply" 2>"$ERR" || {
        echo "completing '$line' failed:" >&2
        cat "$ERR" >&2
        return 1
    }
    [ ! -s "$ERR" ] || { echo "completing '$line' printed:" >&2; cat "$ERR" >&2; return 1; }
    LC_ALL=C sort "$ROOT/reply" >"$OUT"
}

# expect_offered CANDIDATE...: $OUT holds exactly these (in any order).
expect_offered() {
    if [ $# -gt 0 ]; then printf '%s\n' "$@"; fi | LC_ALL=C sort >"$ROOT/expected"
    diff "$ROOT/expected" "$OUT" >&2 && return 0
    echo "candidates differ (< expected, > offered)" >&2
    return 1
}

# expect_compopt OPTION: the last complete_line asked for compopt -o
# OPTION; expect_no_compopt OPTION: it did not.
expect_compopt() {
    grep -qx -- "$1" "$ROOT/compopt" 2>/dev/null && return 0
    echo "compopt -o $1 was not asked for" >&2
    return 1
}
expect_no_compopt() {
    if grep -qx -- "$1" "$ROOT/compopt" 2>/dev/null; then
        echo "compopt -o $1 was asked for" >&2
        return 1
    fi
}

# help_long: the long options `pgz --help` defines, one a line, with a
# trailing '=' for those shown with an argument (--jobs=N gives --jobs=).
# Only the first long option of each option line counts: the one the line
# is about (the text after it may mention others).
help_long() {
    "$PGZ" --help |
        sed -nE 's/^[[:blank:]]+(-[[:alnum:]],[[:blank:]]*)?(--[[:alnum:]][[:alnum:]-]*(=)?).*/\2/p' |
        LC_ALL=C sort -u
}

# help_short: the short options `pgz --help` shows (-x, before a long one).
help_short() {
    "$PGZ" --help | sed -nE 's/^[[:blank:]]+(-[[:alnum:]]),.*/\1/p' | LC_ALL=C sort -u
}

@test "completion: the script is self-contained and registers all three names" {
    run bash -c 'source "$1" && complete -p pgz pgunzip pgzcat' _ "$COMPLETION"
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 3 ]
    for name in pgz pgunzip pgzcat; do
        grep -qE -- "-F _pgz $name\$" <<<"$output" ||
            { echo "no 'complete -F _pgz $name' in: $output" >&2; return 1; }
    done
    # No helper of the bash-completion package is used.
    run grep -nE '_init_completion|_get_comp_words_by_ref|_filedir|_comp_' "$COMPLETION"
    [ "$status" -eq 1 ] || { echo "$output" >&2; false; }
}

@test "completion: the script is shellcheck-clean" {
    command -v shellcheck >/dev/null || skip "shellcheck is not installed"
    shellcheck -s bash "$COMPLETION"
}

@test "completion: long options complete by prefix; =ARG ones end in = with no space" {
    complete_line 'pgz --pro'
    expect_offered --processes= --progress
    complete_line 'pgz --rep'
    expect_offered --report=
    expect_compopt nospace
    complete_line 'pgz --files'
    expect_offered --files-from= --files0-from=
    complete_line 'pgz --no-p'
    expect_offered --no-progress
    expect_no_compopt nospace
    complete_line 'pgz --verb'
    expect_offered --verbose
    expect_no_compopt nospace
    complete_line 'pgz --nothing-like-this'
    expect_offered
}

@test "completion: every long option --help prints is offered for --" {
    complete_line 'pgz --'
    [ -s "$OUT" ]
    run "$PGZ" --help
    [ "$status" -eq 0 ]
    # Every --name anywhere in --help, not only on the option lines.
    local missing
    missing=$(comm -23 <(grep -oE -- '--[[:alnum:]][[:alnum:]-]*' <<<"$output" | LC_ALL=C sort -u) \
        <(sed 's/=$//' "$OUT" | LC_ALL=C sort -u))
    [ -z "$missing" ] || { echo "in --help but not completed: $missing" >&2; return 1; }
    # And with '=' exactly when --help shows an argument.
    missing=$(comm -23 <(help_long) "$OUT")
    [ -z "$missing" ] || { echo "--help has, completion lacks: $missing" >&2; return 1; }
}

@test "completion: every long option offered for -- is in --help (fails until --help has them all)" {
    complete_line 'pgz --'
    [ -s "$OUT" ]
    local extra
    extra=$(comm -13 <(help_long) "$OUT")
    [ -z "$extra" ] || { echo "completed but not in pgz --help: $extra" >&2; return 1; }
}

@test "completion: - offers every short option of --help, every level, and the long ones" {
    complete_line 'pgz -'
    local shorts
    shorts=$(grep -E '^-[^-]$' "$OUT")
    local missing
    missing=$(comm -23 <(help_short) <(echo "$shorts"))
    [ -z "$missing" ] || { echo "in --help but not completed: $missing" >&2; return 1; }
    # --help shows -1 and -9 for the levels; -2 ... -8 are options too.
    extra=$(comm -13 <(help_short) <(echo "$shorts") | grep -vE '^-[1-9]$' || true)
    [ -z "$extra" ] || { echo "completed but not in pgz --help: $extra" >&2; return 1; }
    for level in -1 -2 -3 -4 -5 -6 -7 -8 -9; do
        grep -qx -- "$level" <<<"$shorts" || { echo "$level not offered" >&2; return 1; }
    done
    grep -E '^--' "$OUT" >"$ROOT/long.dash"
    complete_line 'pgz --'
    cmp "$ROOT/long.dash" "$OUT"
}

@test "completion: --report=, --files-from=, --files0-from= and --report FILE complete file names" {
    mkdir dir
    touch a.gz b.txt report.txt
    # bash's default COMP_WORDBREAKS has '=': readline replaces only what
    # follows it, so the candidates are bare names.
    complete_line 'pgz --report=' ''
    expect_offered a.gz b.txt dir report.txt
    expect_compopt filenames
    complete_line 'pgz -d --report=re' re
    expect_offered report.txt
    # Without '=' in COMP_WORDBREAKS the whole word is replaced.
    complete_line 'pgz --report=re'
    expect_offered --report=report.txt
    complete_line 'pgz --files-from=' ''
    expect_offered a.gz b.txt dir report.txt
    complete_line 'pgz --files0-from=b' b
    expect_offered b.txt
    complete_line 'pgz --files-from '
    expect_offered a.gz b.txt dir report.txt
    expect_compopt filenames
    complete_line 'pgz -d --report r'
    expect_offered report.txt
    # Abbreviated, as getopt_long takes it.
    complete_line 'pgz --rep=a' a
    expect_offered a.gz
}

@test "completion: decompressing, operands are gzip names and directories only" {
    mkdir dir
    touch a.gz b.txt
    local line
    for line in 'pgz -d ' 'pgunzip ' 'pgzcat ' './pgunzip ' 'pgz --decompress ' \
        'pgz --uncompress ' 'pgz -t ' 'pgz --test ' 'pgz -l ' 'pgz --list ' \
        'pgz -dk ' 'pgz -kt ' 'pgz -vl -- ' 'pgz --dec ' 'pgz -c -d -k ' \
        'pgz -d a.gz ' 'pgz -j 2 -d '; do
        complete_line "$line"
        expect_offered a.gz dir || { echo "after '$line'" >&2; return 1; }
        expect_compopt filenames
    done
    # -d after the cursor counts too.
    rm -f "$ROOT/compopt"
    run bash -c 'source "$1"; COMP_LINE="pgz  -d"; COMP_POINT=4
        _pgz pgz "" pgz; printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$COMPLETION"
    [ "$output" = "$(printf '%s\n' a.gz dir)" ]
}

@test "completion: compressing, operands are any file" {
    mkdir dir
    touch a.gz b.txt
    local line
    for line in 'pgz ' 'pgz -k ' 'pgz -c ' 'pgz -S -d ' 'pgz -- -d ' 'pgz --l ' \
        'pgz -L ' 'pgz -9 --keep '; do
        complete_line "$line"
        expect_offered a.gz b.txt dir || { echo "after '$line'" >&2; return 1; }
        expect_compopt filenames
    done
    complete_line 'pgz b'
    expect_offered b.txt
    # After --, a word starting with - is a file, not an option.
    touch ./-x.gz
    complete_line 'pgz -- -'
    expect_offered -x.gz
}

@test "completion: gzip names follow pgz's suffix rules, -S included" {
    mkdir sub sub.gz
    touch a.gz B.GZ c.Tgz d.taz e.z f-gz g-Z h_z i.foo j.txt .gz sub/k.gz sub/l.txt
    complete_line 'pgunzip '
    expect_offered B.GZ a.gz c.Tgz d.taz e.z f-gz g-Z h_z sub sub.gz
    local line
    for line in 'pgunzip -S .foo ' 'pgz -d --suffix=.FOO ' 'pgz -dS.foo ' 'pgz -d --suffix .foo ' \
        'pgz -S.foo -d '; do
        complete_line "$line"
        expect_offered B.GZ a.gz c.Tgz d.taz e.z f-gz g-Z h_z i.foo sub sub.gz ||
            { echo "after '$line'" >&2; return 1; }
    done
    complete_line 'pgzcat sub/'
    expect_offered sub/k.gz
}

@test "completion: option arguments: -j and -p numbers, -b sizes, -S suffixes" {
    local n
    n=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)
    for line in 'pgz -j ' 'pgz --jobs ' 'pgz -p ' 'pgz --processes ' 'pgz -kj '; do
        complete_line "$line"
        expect_offered $(seq 1 "$n") || { echo "after '$line'" >&2; return 1; }
    done
    complete_line 'pgz --jobs=' ''
    expect_offered $(seq 1 "$n")
    complete_line 'pgz --jobs='
    expect_offered $(seq -f '--jobs=%g' 1 "$n")
    complete_line 'pgz -b '
    expect_offered 64 128 256 512 1024
    complete_line 'pgz --blocksize=1' 1
    expect_offered 128 1024
    complete_line 'pgz -S '
    expect_offered .gz .z .tgz .taz -gz -z _z
    complete_line 'pgz --suffix=.t' .t
    expect_offered .tgz .taz
    # The word after -S is its argument, even when it starts with -.
    complete_line 'pgz -S -'
    expect_offered -gz -z
}

@test "completion: file names with blanks, quotes and ':' come back as readline needs them" {
    touch 'a b.gz' 'x:y.gz'
    # Bash passes the word without its opening quote; readline quotes the
    # candidates again (-o filenames).
    complete_line "pgz -d 'a" a
    expect_offered 'a b.gz'
    complete_line 'pgz -d a\ ' 'a\ '
    expect_offered 'a b.gz'
    # ':' is in COMP_WORDBREAKS: only what follows it is replaced.
    complete_line 'pgz -d x:' ''
    expect_offered y.gz
    complete_line 'pgz --report=x:y' y
    expect_offered y.gz
}

@test "completion: the same under set -u and the shell options users and bash-completion set" {
    mkdir dir
    touch a.gz B.GZ c.txt
    local line
    for line in 'pgz -' 'pgz --rep' 'pgz -L ' 'pgz -l ' 'pgz -n' 'pgz -d ' 'pgunzip ' \
        'pgz --report=' 'pgz -j ' 'pgz -S '; do
        PRELUDE= complete_line "$line"
        mv "$OUT" "$ROOT/plain"
        PRELUDE='set -u; shopt -s extglob nullglob failglob nocasematch nocaseglob dotglob' \
            complete_line "$line"
        diff "$ROOT/plain" "$OUT" >&2 || { echo "after '$line'" >&2; return 1; }
    done
    # And nocasematch, turned off while completing, is back on.
    run bash -c 'source "$1"; shopt -s nocasematch; COMP_LINE="pgz -n" COMP_POINT=6
        _pgz pgz -n pgz; printf "%s\n" "${COMPREPLY[@]}"; shopt -q nocasematch && echo on' _ "$COMPLETION"
    [ "$output" = "$(printf '%s\n' -n on)" ]
}

@test "completion: in an interactive bash, through readline" {
    command -v python3 >/dev/null || skip "python3 is needed to drive a terminal"
    mkdir dir
    touch a.gz b.txt report.txt
    # Each line is typed at a prompt, completed with TAB, then printed by a
    # key bound to print READLINE_LINE, and cleared.  Bash's own
    # COMP_WORDBREAKS and readline's quoting and / for directories apply.
    python3 - "$COMPLETION" >"$OUT" 2>"$ERR" <<'PY' || { cat "$ERR" "$OUT" >&2; return 1; }
import os, pty, select, sys, time
lines = ['pgz --rep\t', 'pgz --report=re\t', 'pgunzip \t', 'pgz -d d\t',
         'pgz --jo\t', 'pgz b\t']
pid, fd = pty.fork()
if pid == 0:
    # No ~/.inputrc settings, no history written to ~/.bash_history.
    os.environ.update(PS1='PGZ-PROMPT$ ', PROMPT_COMMAND='echo PGZ-READY',
                      TERM='dumb', INPUTRC='/dev/null', HISTFILE='')
    os.execvp('bash', ['bash', '--norc', '--noprofile', '-i'])
buf = b''
def wait_for(marker, timeout=20):
    global buf
    end = time.time() + timeout
    while marker not in buf:
        if time.time() > end:
            os.kill(pid, 9)
            sys.exit('timed out waiting for %r; got %r' % (marker, buf[-300:]))
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            buf += os.read(fd, 65536)
    i = buf.index(marker) + len(marker)
    out, buf = buf[:i], buf[i:]
    return out
def ready():
    # A new command line (not a redisplay after a listing), and readline
    # has the terminal in raw mode once the prompt is out.
    out = wait_for(b'PGZ-READY')
    wait_for(b'PGZ-PROMPT$ ')
    return out
setup = ('stty cols 200; bind "set bell-style none"; '
         'bind "set show-all-if-ambiguous on"; bind "set completion-query-items 1000"; '
         'bind -x \'"\\C-t": printf "LINE=[%%s]\\n" "$READLINE_LINE"\'; source %s\n'
         % sys.argv[1])
ready()
os.write(fd, setup.encode())
ready()
for line in lines:
    # TAB(s), ^T prints the line, ^A ^K clears it, and Enter: a new prompt.
    os.write(fd, line.encode() + b'\x14\x01\x0b\n')
    sys.stdout.write(ready().decode(errors='replace').replace('\r', ''))
os.write(fd, b'exit\n')
for _ in range(100):
    if os.waitpid(pid, os.WNOHANG)[0] == pid:
        break
    time.sleep(0.1)
else:
    os.kill(pid, 9)
    sys.exit('bash did not exit')
PY
    grep -qxF 'LINE=[pgz --report=]' "$OUT"          # no space after =
    grep -qxF 'LINE=[pgz --report=report.txt ]' "$OUT"
    grep -qxF 'LINE=[pgz -d dir/]' "$OUT"            # a directory gets its /
    grep -qxF 'LINE=[pgz --jobs=]' "$OUT"
    grep -qxF 'LINE=[pgz b.txt ]' "$OUT"
    # pgunzip lists a.gz and dir/, not b.txt nor report.txt.
    grep -qE '^a\.gz +dir/ *$' "$OUT" || { cat -A "$OUT" >&2; return 1; }
}

@test "completion: make install puts it in BASHCOMPDIR as pgz, pgunzip and pgzcat" {
    local dest=$ROOT/dest dir=$ROOT/dest/usr/share/bash-completion/completions name
    # A make of its own: not one of `make check SANITIZE=...`'s settings.
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$SRC" install \
        DESTDIR="$dest" PREFIX=/usr SANITIZE= >"$OUT" 2>"$ERR" || {
        cat "$ERR" >&2
        return 1
    }
    touch a.gz b.txt
    for name in pgz pgunzip pgzcat; do
        [ -f "$dir/$name" ] || { echo "$dir/$name missing" >&2; return 1; }
        cmp "$dir/$name" "$COMPLETION"
        # bash-completion sources the file named after the command from
        # inside a function (its loader), the first time it is completed.
        run bash -c 'load() { . "$1/$2"; }; load "$1" "$2" && complete -p "$2" >/dev/null &&
            COMP_LINE="$2 -d --rep" && COMP_POINT=${#COMP_LINE} && _pgz "$2" --rep -d &&
            printf "%s\n" "${COMPREPLY[@]}" &&
            COMP_LINE="$2 -d " && COMP_POINT=${#COMP_LINE} && _pgz "$2" "" -d &&
            printf "%s\n" "${COMPREPLY[@]}"' _ "$dir" "$name"
        [ "$status" -eq 0 ]
        [ "$output" = "$(printf '%s\n' --report= a.gz)" ] ||
            { echo "$name: $output" >&2; return 1; }
    done
    [ -x "$dest/usr/bin/pgz" ]
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$SRC" uninstall \
        DESTDIR="$dest" PREFIX=/usr SANITIZE= >"$OUT" 2>"$ERR"
    [ -z "$(find "$dest" ! -type d)" ] || { find "$dest" ! -type d >&2; return 1; }
}
