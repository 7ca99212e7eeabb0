#!/usr/bin/env bash
# make bench: pgz (both engines) against gzip, pigz, libdeflate-gzip, bgzip
# and xargs -P gzip, side by side in one run.  Every case runs each command ROUNDS times, alternating commands (each
# round starting with the next command, so none always follows the same), and
# reports the median time, the ratio to the case's first command (always a
# pgz run: ratios are what matter, absolute times drift between machines),
# the compressed size where there is one output, and the peak RSS (GNU
# time).  Not part of `make check`.
#
#   ROUNDS=3  CORPUS=/dev/shm/pgz-corpus  DISK_DIR=/var/tmp/pgz-bench
#   PGZ=/path/to/pgz (default: the one built here)
#   SKIP_DISK=1 to leave out the many-files case on the working disk
#   CASES="big6 big1 big9 many mixed dbig dmany pardec rsync disk"  the cases
#   (default: all)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pgz=${PGZ:-$(cd "$here/.." && pwd)/pgz}
rounds=${ROUNDS:-3}
corpus=${CORPUS:-/dev/shm/pgz-corpus}
disk=${DISK_DIR:-/var/tmp/pgz-bench}
out=/dev/shm/pgz-bench-out.gz

[ -x "$pgz" ] || { echo "bench: build pgz first (make)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }
sh "$here/corpus.sh" "$corpus"
have_pigz=false; command -v pigz >/dev/null && have_pigz=true
have_ldgz=false; command -v libdeflate-gzip >/dev/null && have_ldgz=true
have_bgzip=false; command -v bgzip >/dev/null && have_bgzip=true
cases=${CASES:-big6 big1 big9 many mixed dbig dmany pardec rsync disk}
want() { [[ " $cases " == *" $1 "* ]]; }
trap 'rm -f "$out"' EXIT

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# run_case TITLE SETUP, then lines "LABEL<TAB>COMMAND" on stdin.  SETUP runs
# untimed before every command (it removes the previous outputs).  A command
# that writes $out has its size reported.
run_case() {
    local title=$1 setup=$2 labels=() cmds=() label cmd
    while IFS=$'\t' read -r label cmd; do labels+=("$label"); cmds+=("$cmd"); done
    local n=${#labels[@]} tmp i r start end kib
    tmp=$(mktemp -d)
    for ((r = 0; r < rounds; r++)); do
        for ((k = 0; k < n; k++)); do
            i=$(((k + r) % n))      # each round starts elsewhere: no command
            rm -f "$out"            # always runs right after the same one
            eval "$setup"
            # GNU time's %e counts hundredths: too coarse for runs of
            # 0.1 s, so the wall time is read around it (microseconds;
            # the same few ms of starting time and bash in every command)
            start=$EPOCHREALTIME
            /usr/bin/time -f '%M' -o "$tmp/t" bash -c "${cmds[i]}" 2>"$tmp/err" ||
                { echo "bench: '${labels[i]}' failed:" >&2; cat "$tmp/err" >&2; exit 1; }
            end=$EPOCHREALTIME
            kib=$(tail -n 1 "$tmp/t")
            echo "$end - $start" | bc -l >>"$tmp/time.$i"
            echo "$kib" >>"$tmp/rss.$i"
            [ -f "$out" ] && stat -c %s "$out" >"$tmp/size.$i"
        done
    done
    local base t m s
    base=$(median <"$tmp/time.0")
    printf '\n%s\n\n| command | median s | ratio | size (bytes) | peak RSS MiB |\n|---|---:|---:|---:|---:|\n' "$title"
    for ((i = 0; i < n; i++)); do
        t=$(median <"$tmp/time.$i")
        m=$(sort -g "$tmp/rss.$i" | tail -n 1)
        s=$(cat "$tmp/size.$i" 2>/dev/null || echo -)
        printf '| `%s` | %.3f | %.2f | %s | %.1f |\n' "${labels[i]}" "$t" \
            "$(echo "$t / $base" | bc -l)" "$s" "$(echo "$m / 1024" | bc -l)"
    done
    rm -rf "$tmp"
    eval "$setup"
}

big_case() {   # big_case LEVEL
    local l=$1 big=$corpus/big.tar
    {
        printf 'pgz -%s -j2\t%s -%s -j2 -c %s >%s\n' "$l" "$pgz" "$l" "$big" "$out"
        printf 'pgz --engine=zlib -%s -j2\t%s --engine=zlib -%s -j2 -c %s >%s\n' \
            "$l" "$pgz" "$l" "$big" "$out"
        if [ "$l" = 6 ]; then
            printf 'pgz -%s -j1\t%s -%s -j1 -c %s >%s\n' "$l" "$pgz" "$l" "$big" "$out"
            printf 'pgz --engine=zlib -%s -j1\t%s --engine=zlib -%s -j1 -c %s >%s\n' \
                "$l" "$pgz" "$l" "$big" "$out"
        fi
        if $have_pigz; then
            printf 'pigz -%s -p2\tpigz -%s -p2 -c %s >%s\n' "$l" "$l" "$big" "$out"
        fi
        if $have_ldgz; then
            printf 'libdeflate-gzip -%s (1 core)\tlibdeflate-gzip -%s -c %s >%s\n' \
                "$l" "$l" "$big" "$out"
        fi
        if $have_bgzip; then
            printf 'bgzip -@2 -l %s\tbgzip -@2 -l %s -c %s >%s\n' "$l" "$l" "$big" "$out"
        fi
        # gzip -9 alone takes 30 s a run: left out to keep the bench short.
        if [ "$l" != 9 ]; then
            printf 'gzip -%s\tgzip -%s -c %s >%s\n' "$l" "$l" "$big" "$out"
        fi
    } | run_case "big.tar ($(du -h "$big" | cut -f1)), level $l, \`-c\` to tmpfs" ":"
}

many_case() {   # many_case DIR WHERE
    local dir=$1 where=$2
    {
        printf 'pgz -j2 -k -r\t%s -j2 -k -r %s\n' "$pgz" "$dir"
        printf 'pgz -j1 -k -r\t%s -j1 -k -r %s\n' "$pgz" "$dir"
        printf 'pgz --engine=zlib -j2 -k -r\t%s --engine=zlib -j2 -k -r %s\n' "$pgz" "$dir"
        printf 'gzip -k -r\tgzip -k -r %s\n' "$dir"
        $have_pigz && printf 'pigz -p2 -k -r\tpigz -p2 -k -r %s\n' "$dir"
        printf 'xargs -P2 gzip -k\tfind %s -type f -print0 | xargs -0 -P2 -n64 gzip -k\n' "$dir"
    } | run_case "many/: $(find "$dir" -type f | wc -l) files ($(du -sh "$dir" | cut -f1)), level 6, \`-k -r\` on $where" \
        "find '$dir' -name '*.gz' -delete"
}

mixed_case() {   # the big file and the many files in one call
    local dir=$corpus
    {
        printf 'pgz -j2 -k -r big.tar many/\t%s -j2 -k -r %s/big.tar %s/many\n' "$pgz" "$dir" "$dir"
        printf 'pgz -j2 -k big.tar\t%s -j2 -k %s/big.tar\n' "$pgz" "$dir"
        printf 'pgz -j2 -k -r many/\t%s -j2 -k -r %s/many\n' "$pgz" "$dir"
    } | run_case "big.tar and many/ in one call vs. each alone, level 6, tmpfs" \
        "rm -f '$dir/big.tar.gz'; find '$dir/many' -name '*.gz' -delete"
}

decompress_big_case() {
    local gz=$corpus/gz/big.tar.gz
    {
        printf 'pgz -d\t%s -d -c %s >%s\n' "$pgz" "$gz" "$out"
        printf 'gzip -d\tgzip -d -c %s >%s\n' "$gz" "$out"
        if $have_pigz; then printf 'pigz -d\tpigz -d -c %s >%s\n' "$gz" "$out"; fi
    } | run_case "decompressing big.tar.gz (gzip -6), \`-d -c\` to tmpfs" ":"
    # pgz's own output (the default engine): sized members, decoded whole.
    gz=$corpus/gz/big.tar.pgz.gz
    [ -f "$gz" ] || "$pgz" -6 -c "$corpus/big.tar" >"$gz"
    {
        printf 'pgz -d\t%s -d -c %s >%s\n' "$pgz" "$gz" "$out"
        printf 'pgz --engine=zlib -d\t%s --engine=zlib -d -c %s >%s\n' "$pgz" "$gz" "$out"
        printf 'gzip -d\tgzip -d -c %s >%s\n' "$gz" "$out"
        if $have_pigz; then printf 'pigz -d\tpigz -d -c %s >%s\n' "$gz" "$out"; fi
        if $have_ldgz; then printf 'libdeflate-gzip -d\tlibdeflate-gzip -d -c %s >%s\n' "$gz" "$out"; fi
    } | run_case "decompressing pgz's big.tar.gz ($("$pgz" --version | sed -n 's/^Engines:.* \([a-z]*\) (default).*/\1/p'), -6), \`-d -c\` to tmpfs" ":"
}

# Parallel decompression (pardec.h): the same big.tar made by pgz (sized
# members), by bgzip (BGZF) and by gzip (plain), -j2 against -j1 and the
# other tools; from a file and from a pipe.  PGZ_BASE=/path/to/older/pgz
# adds that binary's -d for comparison.
pardec_case() {
    local big=$corpus/big.tar dir=$corpus/gz
    mkdir -p "$dir"
    [ -f "$dir/big.tar.pgz.gz" ] || "$pgz" -6 -c "$big" >"$dir/big.tar.pgz.gz"
    [ -f "$dir/big.tar.bgz.gz" ] || ! $have_bgzip || bgzip -@2 -c "$big" >"$dir/big.tar.bgz.gz"
    [ -f "$dir/big.tar.gz" ] || gzip -6 -c "$big" >"$dir/big.tar.gz"
    local gz=$dir/big.tar.pgz.gz
    {
        printf 'pgz -d -j2\t%s -d -j2 -c %s >%s\n' "$pgz" "$gz" "$out"
        printf 'pgz -d -j1\t%s -d -j1 -c %s >%s\n' "$pgz" "$gz" "$out"
        printf 'pipe: pgz -d -j2\tcat %s | %s -d -j2 -c >%s\n' "$gz" "$pgz" "$out"
        printf 'pipe: pgz -d -j1\tcat %s | %s -d -j1 -c >%s\n' "$gz" "$pgz" "$out"
        if $have_pigz; then printf 'pigz -d\tpigz -d -c %s >%s\n' "$gz" "$out"; fi
        if [ -n "${PGZ_BASE:-}" ]; then printf 'base pgz -d\t%s -d -c %s >%s\n' "$PGZ_BASE" "$gz" "$out"; fi
    } | run_case "parallel -d of pgz's big.tar.gz (sized members), to tmpfs" ":"
    if $have_bgzip; then
        gz=$dir/big.tar.bgz.gz
        {
            printf 'pgz -d -j2\t%s -d -j2 -c %s >%s\n' "$pgz" "$gz" "$out"
            printf 'pgz -d -j1\t%s -d -j1 -c %s >%s\n' "$pgz" "$gz" "$out"
            printf 'bgzip -@2 -d\tbgzip -@2 -d -c %s >%s\n' "$gz" "$out"
            if $have_pigz; then printf 'pigz -d\tpigz -d -c %s >%s\n' "$gz" "$out"; fi
            if [ -n "${PGZ_BASE:-}" ]; then printf 'base pgz -d\t%s -d -c %s >%s\n' "$PGZ_BASE" "$gz" "$out"; fi
        } | run_case "parallel -d of bgzip's big.tar.gz (BGZF), to tmpfs" ":"
    fi
    gz=$dir/big.tar.gz
    {
        printf 'pgz -d -j2\t%s -d -j2 -c %s >%s\n' "$pgz" "$gz" "$out"
        if $have_pigz; then printf 'pigz -d\tpigz -d -c %s >%s\n' "$gz" "$out"; fi
        if [ -n "${PGZ_BASE:-}" ]; then printf 'base pgz -d\t%s -d -c %s >%s\n' "$PGZ_BASE" "$gz" "$out"; fi
    } | run_case "-d of gzip's big.tar.gz (plain: one worker), to tmpfs" ":"
}

# --rsyncable (issue 13): the first 64 MiB of big.tar from stdin, -6,
# against pigz -R and gzip --rsyncable: time and size; then how far a
# change spreads (100 bytes inserted, one byte changed, in the middle: the
# differing span, span.py); then -d -j2 against -j1 of pgz's output.
rsync_case() {
    local dir=$corpus/rsync span=$here/../tests/cli/span.py
    mkdir -p "$dir"
    [ -f "$dir/in" ] || head -c $((64 << 20)) "$corpus/big.tar" >"$dir/in"
    {
        printf 'pgz -6 --rsyncable -j2\t%s -6 --rsyncable -j2 -n -c <%s >%s\n' "$pgz" "$dir/in" "$out"
        if $have_pigz; then printf 'pigz -6 -R -p2\tpigz -6 -R -p2 -n -c <%s >%s\n' "$dir/in" "$out"; fi
        printf 'gzip -6 --rsyncable\tgzip -6 --rsyncable -n -c <%s >%s\n' "$dir/in" "$out"
    } | run_case "--rsyncable: 64 MiB of big.tar from stdin, -6" ":"
    local half=$((32 << 20)) how tool
    python3 "$span" edit "$dir/in" "$dir/insert" insert "$half"
    python3 "$span" edit "$dir/in" "$dir/change" change "$half"
    printf '\nhow far a change in the middle spreads (the differing span of the outputs, bytes)\n\n| command | 100 bytes inserted | one byte changed |\n|---|---:|---:|\n'
    for tool in "$pgz -6 --rsyncable -j2" "pigz -6 -R -p2" "gzip -6 --rsyncable" "$pgz -6 -j2"; do
        case $tool in pigz*) $have_pigz || continue ;; esac
        local row=""
        for how in in insert change; do
            $tool -n -c <"$dir/$how" >"$dir/$how.gz"
        done
        for how in insert change; do
            row="$row | $(python3 "$span" span "$dir/in.gz" "$dir/$how.gz" | awk '{print $3}')"
        done
        printf '| `%s`%s |\n' "${tool/#$pgz/pgz}" "$row"
    done
    "$pgz" -6 --rsyncable -n -c <"$dir/in" >"$dir/in.gz"
    {
        printf 'pgz -d -j2\t%s -d -j2 -c %s >%s\n' "$pgz" "$dir/in.gz" "$out"
        printf 'pgz -d -j1\t%s -d -j1 -c %s >%s\n' "$pgz" "$dir/in.gz" "$out"
        if $have_pigz; then printf 'pigz -d\tpigz -d -c %s >%s\n' "$dir/in.gz" "$out"; fi
    } | run_case "parallel -d of pgz's --rsyncable output, to tmpfs" ":"
    rm -f "$dir"/*.gz "$dir/insert" "$dir/change"
}

decompress_many_case() {
    local dir=$corpus/gz/many
    {
        printf 'pgz -d -j2 -k -r\t%s -d -j2 -k -r %s\n' "$pgz" "$dir"
        printf 'pgz -d -j1 -k -r\t%s -d -j1 -k -r %s\n' "$pgz" "$dir"
        printf 'gzip -d -k -r\tgzip -d -k -r %s\n' "$dir"
        if $have_pigz; then printf 'pigz -d -p2 -k -r\tpigz -d -p2 -k -r %s\n' "$dir"; fi
        printf 'xargs -P2 gzip -d -k\tfind %s -name "*.gz" -print0 | xargs -0 -P2 -n64 gzip -d -k\n' "$dir"
    } | run_case "decompressing gz/many/ (gzip -6), \`-d -k -r\` on tmpfs" \
        "find '$dir' -type f ! -name '*.gz' -delete"
}

echo "pgz benchmark, $(date -u +%Y-%m-%d): $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "pgz $("$pgz" -V | head -1 | awk '{print $NF}'), gzip $(gzip --version | head -1 | awk '{print $2}'), pigz $($have_pigz && pigz --version 2>&1 | awk '{print $2}' || echo absent), zlib $(pkg-config --modversion zlib 2>/dev/null || echo '?'); median of $rounds alternating runs"

want big6 && big_case 6
want big1 && big_case 1
want big9 && big_case 9
want many && many_case "$corpus/many" "tmpfs"
want mixed && mixed_case
want dbig && decompress_big_case
want dmany && decompress_many_case
want pardec && pardec_case
want rsync && rsync_case
if want disk && [ "${SKIP_DISK:-}" != 1 ]; then
    mkdir -p "$disk"
    [ -d "$disk/many" ] || cp -R "$corpus/many" "$disk/many"
    many_case "$disk/many" "disk ($(df -T "$disk" | awk 'NR==2 {print $2}'))"
fi
