#!/usr/bin/env bash
# Builds the libFuzzer target for the otpauth parser, Base32 and recovery-code input with clang++
# (ASan + UBSan + libFuzzer; the main build uses g++) and runs it for a bounded time.
#   tests/fuzz/run.sh [seconds] [work-dir]      default: 20 s, build-fuzz/
#   FUZZ_SEED=1 makes a run repeatable (ctest uses it).
# New interesting inputs go to <work-dir>/corpus; the checked-in seeds in tests/fuzz/corpus are
# only read. A crash leaves its input in <work-dir>/crash-* and the script fails.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-20}
work=${2:-$root/build-fuzz}
cxx=${FUZZ_CXX:-clang++}

command -v "$cxx" >/dev/null || { echo "run.sh: $cxx not found (installer/deps.sh installs clang)" >&2; exit 1; }

sources=(
    "$here/fuzz_otpauth.cpp"
    "$root/core/verification/otpauth.cpp"
    "$root/core/plaintext.cpp"
    "$root/core/verification/totp.cpp"
    "$root/core/verification/totpparams.cpp"
    "$root/core/verification/recoverycodes.cpp"
    "$root/core/crypto/securebuffer.cpp"
    "$root/core/crypto/primitives.cpp"
    "$root/core/crypto/random.cpp"
)
mkdir -p "$work/corpus"
bin="$work/fuzz_otpauth"

# Rebuild only when a source or header is newer than the binary.
rebuild=1
if [ -x "$bin" ]; then
    rebuild=0
    for f in "${sources[@]}" "$root"/core/*.h "$root"/core/verification/*.h "$root"/core/crypto/*.h "$here/run.sh"; do
        if [ "$f" -nt "$bin" ]; then rebuild=1; break; fi
    done
fi
if [ "$rebuild" = 1 ]; then
    echo "run.sh: building $bin" >&2
    # shellcheck disable=SC2046  # pkg-config output is meant to split
    "$cxx" -std=c++20 -g -O1 -fPIC -fno-omit-frame-pointer \
        -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
        -Wall -Wextra -Werror -DQT_NO_CAST_FROM_ASCII -DQT_NO_KEYWORDS \
        -I"$root/core" $(pkg-config --cflags Qt6Core liboath libsodium) \
        "${sources[@]}" $(pkg-config --libs Qt6Core liboath libsodium) -o "$bin.tmp"
    mv "$bin.tmp" "$bin"
fi

args=(-max_total_time="$seconds" -max_len=1024 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
      -dict="$here/otpauth.dict" -artifact_prefix="$work/")
if [ -n "${FUZZ_SEED:-}" ]; then args+=(-seed="$FUZZ_SEED"); fi
# Qt keeps a few process-lifetime allocations; they are not leaks of ours.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
exec "$bin" "${args[@]}" "$work/corpus" "$here/corpus"
