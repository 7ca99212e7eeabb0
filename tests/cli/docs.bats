#!/usr/bin/env bats
# The documentation keeps up with the program: every option in --help is in
# the man page, and the man page is clean groff.

@test "man page: groff -man -ww -z prints no warning" {
    command -v groff >/dev/null || skip "groff is not installed"
    run groff -man -ww -z man/pgz.1
    [ "$status" -eq 0 ]
    [ -z "$output" ]
}

@test "man page and --help document the same long options" {
    run "$PGZ" --help
    [ "$status" -eq 0 ]
    help_opts=$(grep -oE -- '--[a-z][a-z0-9-]*' <<<"$output" | sort -u)
    [ -n "$help_opts" ]
    man_opts=$(grep -oE -- '\\-\\-[a-z]([a-z0-9]|\\-)*' man/pgz.1 | sed 's/\\//g' | sort -u)
    missing=$(comm -23 <(echo "$help_opts") <(echo "$man_opts"))
    [ -z "$missing" ] || { echo "not in man/pgz.1: $missing"; false; }
}

@test "every option the parser accepts is in --help" {
    run "$PGZ" --help
    for opt in -c --stdout -f --force -h --help -j --jobs -k --keep -L --license \
               -n --no-name -N --name -p --processes -q --quiet -r --recursive \
               -S --suffix -v --verbose -V --version -1 --fast -9 --best \
               --progress --no-progress --files-from --files0-from --report \
               -b --blocksize -i --independent --synchronous --rsyncable; do
        grep -qE -- "(^|[ ,])$opt([ ,=]|$)" <<<"$output" || { echo "missing: $opt"; false; }
    done
}
