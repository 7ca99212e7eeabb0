#!/bin/sh
# Build the benchmark corpora from files every Debian 12 machine has (real
# data that nobody on the project wrote):
#   many/    a copy of /usr/include, regular files only (~8,000 small files)
#   big.tar  /usr/lib/python3.11 + libLLVM-14 in one tar (~160 MB)
#   gz/big.tar.gz, gz/many/   the same, compressed by gzip -6 (for -d)
# Usage: corpus.sh DIR.  Idempotent: existing corpora are kept.
set -eu
dir=${1:?usage: corpus.sh DIR}
mkdir -p "$dir"
if [ ! -d "$dir/many" ]; then
    rm -rf "$dir/many.tmp"
    mkdir -p "$dir/many.tmp"
    cp -R /usr/include/. "$dir/many.tmp/"
    find "$dir/many.tmp" -type l -delete    # every tool sees the same files
    mv "$dir/many.tmp" "$dir/many"
fi
if [ ! -f "$dir/big.tar" ]; then
    llvm=$(ls /usr/lib/x86_64-linux-gnu/libLLVM-14.so.1 2>/dev/null || true)
    tar -cf "$dir/big.tar.tmp" --sort=name --mtime=@0 --owner=0 --group=0 \
        /usr/lib/python3.11 $llvm 2>/dev/null || true
    mv "$dir/big.tar.tmp" "$dir/big.tar"
fi
mkdir -p "$dir/gz"
if [ ! -f "$dir/gz/big.tar.gz" ]; then
    gzip -6 -c "$dir/big.tar" >"$dir/gz/big.tar.gz.tmp"
    mv "$dir/gz/big.tar.gz.tmp" "$dir/gz/big.tar.gz"
fi
if [ ! -d "$dir/gz/many" ]; then
    rm -rf "$dir/gz/many.tmp"
    cp -R "$dir/many" "$dir/gz/many.tmp"
    find "$dir/gz/many.tmp" -name '*.gz' -delete
    gzip -6 -r "$dir/gz/many.tmp"
    mv "$dir/gz/many.tmp" "$dir/gz/many"
fi
