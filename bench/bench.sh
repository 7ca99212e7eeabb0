#!/usr/bin/env bash
# make bench: pgz against gzip, pigz and xargs -P gzip, side by side in one
# run.  Times are medians of ROUNDS alternating runs; what matters is the
# ratio column (time / time of `pgz -j2` in the same case), since absolute
# times drift from machine to machine.  Not part of `make check`.
#
#   ROUNDS=3  CORPUS=/dev/shm/pgz-corpus  DISK_DIR=/var/tmp/pgz-bench
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pgz=$(cd "$here/.." && pwd)/pgz
rounds=${ROUNDS:-3}
corpus=${CORPUS:-/dev/shm/pgz-corpus}
disk=${DISK_DIR:-/var/tmp/pgz-bench}
timefmt='%e %M'   # elapsed seconds, peak RSS in KiB (GNU time)

[ -x "$pgz" ] || { echo "bench: build pgz first (make)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }
sh "$here/corpus.sh" "$corpus"
have_pigz=false; command -v pigz >/dev/null && have_pigz=true

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# run_case NAME SETUP  then lines "LABEL<TAB>COMMAND" on stdin.
# SETUP runs before every timed command (untimed): it restores the input.
run_case() {
    local name=$1 setup=$2 labels=() cmds=() line
    while IFS=$'\t' read -r label cmd; do labels+=("$label"); cmds+=("$cmd"); done
    local n=${#labels[@]} tmp; tmp=$(mktemp -d)
    for ((r = 0; r < rounds; r++)); do
        for ((i = 0; i < n; i++)); do
            eval "$setup"
            /usr/bin/time -f "$timefmt" -o "$tmp/t" bash -c "${cmds[i]}" >/dev/null 2>"$tmp/err" ||
                { echo "bench: '${labels[i]}' failed:" >&2; cat "$tmp/err" >&2; exit 1; }
            read -r secs kib < <(tail -n 1 "$tmp/t")
            echo "$secs" >> "$tmp/time.$i"
            echo "$kib" >> "$tmp/rss.$i"
        done
    done
    local base; base=$(median < "$tmp/time.0")
    printf '\n### %s\n\n| command | median s | ratio to `%s` | peak RSS MiB |\n|---|---:|---:|---:|\n' \
        "$name" "${labels[0]}"
    for ((i = 0; i < n; i++)); do
        local t m; t=$(median < "$tmp/time.$i"); m=$(sort -g "$tmp/rss.$i" | tail -n 1)
        printf '| `%s` | %.2f | %.2f | %.1f |\n' "${labels[i]}" "$t" \
            "$(echo "$t / $base" | bc -l)" "$(echo "$m / 1024" | bc -l)"
    done
    rm -rf "$tmp"
}

many_case() {   # many_case DIR WHERE
    local dir=$1 where=$2
    local clean="find '$dir' -name '*.gz' -delete"
    {
        printf 'pgz -j2 -k -r\t%s -j2 -k -r %s\n' "$pgz" "$dir"
        printf 'pgz -j1 -k -r\t%s -j1 -k -r %s\n' "$pgz" "$dir"
        printf 'gzip -k -r\tgzip -k -r %s\n' "$dir"
        $have_pigz && printf 'pigz -p2 -k -r\tpigz -p2 -k -r %s\n' "$dir"
        printf 'xargs -P2 gzip -k\tfind %s -type f -print0 | xargs -0 -P2 -n64 gzip -k\n' "$dir"
    } | run_case "8,000 files ($(du -sh "$dir" | cut -f1)), level 6, $where" "$clean"
    eval "$clean"
}

echo "pgz benchmark: $(date -u +%Y-%m-%d), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "gzip $(gzip --version | head -1 | awk '{print $2}'), pigz $($have_pigz && pigz --version 2>&1 | awk '{print $2}' || echo absent), zlib $(pkg-config --modversion zlib 2>/dev/null || echo '?'), $rounds rounds"

many_case "$corpus/many" "tmpfs"
if [ "${SKIP_DISK:-}" != 1 ]; then
    mkdir -p "$disk"
    [ -d "$disk/many" ] || cp -R "$corpus/many" "$disk/many"
    many_case "$disk/many" "disk ($(df -T "$disk" | awk 'NR==2 {print $2}'))"
fi
