# Shared helpers for bench/*.sh: timing and medians.

# Prints the wall time of one run of "$@" in seconds (output discarded).
time_once() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.4f\n", (e - s) / 1e9 }'
}

# Prints the median of N runs of "$@".
median_of() {
  local n=$1; shift
  local i
  for ((i = 0; i < n; i++)); do time_once "$@"; done | sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.4f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

machine() {
  echo "$(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB, $(. /etc/os-release; echo "$PRETTY_NAME"), $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
}
