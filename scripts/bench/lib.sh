# Shared helpers for scripts/bench/*: sourced, not run.
#
# Every benchmark measures mpg and its peer in the same run, on the same machine, one after the other,
# and prints one summary line. Nothing here builds: `scripts/bench/build` does (release,
# --static-swift-stdlib, its own scratch path so parallel debug builds are left alone).
#
# Environment:
#   MPG           the mpg binary to measure (default: .build-bench/release/mpg)
#   JQ            the peer (default: jq on PATH)
#   BENCH_RUNS    override the number of timed runs of every benchmark
#   BENCH_DATA    where generated data is kept between runs (default: .build-bench/data, gitignored)

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/../.." && pwd)
cd "$REPO_DIR"

MPG=${MPG:-.build-bench/release/mpg}
JQ=${JQ:-jq}
BENCH_DATA=${BENCH_DATA:-$REPO_DIR/.build-bench/data}

die() {
  echo "bench: $*" >&2
  exit 1
}

require_tools() {
  [[ -x $MPG ]] || die "no mpg at $MPG: run scripts/bench/build first (or set MPG)"
  command -v "$JQ" > /dev/null || die "no $JQ on PATH (apt-get install jq)"
  command -v hyperfine > /dev/null || die "no hyperfine (apt-get install hyperfine)"
  [[ -x /usr/bin/time ]] || die "no /usr/bin/time (apt-get install time)"
  local tool
  for tool in "$@"; do
    command -v "$tool" > /dev/null || die "no $tool on PATH"
  done
}

# A fresh temporary directory, removed when the benchmark exits.
make_temp_dir() {
  BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/mpg-bench.XXXXXX")
  trap 'rm -rf "$BENCH_TMP"' EXIT
}

# hyperfine_medians RUNS WARMUP CMD... : times every command (no shell in between, output discarded)
# and prints each command's median wall time in milliseconds, one per line, in the given order. The
# runs are split into 5 rounds, each of which runs every command, so that a change in machine load
# during the measurement hits all commands alike.
hyperfine_medians() {
  local runs=${BENCH_RUNS:-$1} warmup=$2
  shift 2
  local rounds=5 round json times
  ((runs >= rounds)) || rounds=$runs
  # In the run's own directory (make_temp_dir), which its EXIT trap removes even when the benchmark is
  # stopped.
  [[ -n ${BENCH_TMP:-} ]] || die "hyperfine_medians needs make_temp_dir first"
  json=$(mktemp "$BENCH_TMP/hf.XXXXXX")
  times=$(mktemp "$BENCH_TMP/times.XXXXXX")
  for ((round = 0; round < rounds; round++)); do
    if ! hyperfine -N --style none --warmup "$warmup" --runs $(((runs + rounds - 1) / rounds)) \
      --export-json "$json" "$@" > /dev/null 2> "$json.err"; then
      cat "$json.err" >&2
      rm -f "$json" "$json.err" "$times"
      die "hyperfine failed (a command exited non-zero?): $*"
    fi
    "$JQ" -r '.results | to_entries[] | "\(.key) \(.value.times[])"' "$json" >> "$times"
  done
  local index
  for ((index = 0; index < $#; index++)); do
    awk -v i="$index" '$1 == i { print $2 * 1000 }' "$times" | sort -g |
      awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
  done
  rm -f "$json" "$json.err" "$times"
}

# peak_rss_kib RUNS CMD... : the median peak resident set size in KiB of RUNS runs of CMD (stdout
# discarded), measured by GNU time.
peak_rss_kib() {
  local runs=$1
  shift
  local samples=() i file
  [[ -n ${BENCH_TMP:-} ]] || die "peak_rss_kib needs make_temp_dir first"
  file=$(mktemp "$BENCH_TMP/rss.XXXXXX")
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -o "$file" -f '%M' "$@" > /dev/null 2> /dev/null || die "failed: $*"
    samples+=("$(tail -n 1 "$file")")
  done
  rm -f "$file"
  printf '%s\n' "${samples[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p"
}

# fmt NUMBER DECIMALS
fmt() {
  awk -v x="$1" -v d="$2" 'BEGIN { printf "%.*f", d, x }'
}

# ratio A B DECIMALS: A / B
ratio() {
  awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN { if (b == 0) print "inf"; else printf "%.*f", d, a / b }'
}

# verdict VALUE LIMIT: "ok" when VALUE <= LIMIT, else "MISSED"
verdict() {
  awk -v v="$1" -v l="$2" 'BEGIN { print (v <= l) ? "ok" : "MISSED" }'
}
