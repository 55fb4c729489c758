#!/usr/bin/env bash
# How netlab sweep scales with cores: a 3 × 3 grid × every grouping of the web-log-sidecar example
# (3) × 10 replications, run on one core (taskset) and on all, interleaved, three rounds each.
# Prints the wall-clock times and the speed-up. Usage: Benchmarks/sweep-scaling.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product netlab >/dev/null
netlab=.build/release/netlab
rounds=${1:-3}
args=(sweep Examples/web-log-sidecar.json --set 'flows[http].rate=1000/s,2000/s,4000/s'
      --set 'cluster.fabric.rate=1Gbps,10Gbps,25Gbps' --replications 10 --format csv)
seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N); echo "$end - $start" | bc; }
one=(); all=()
for _ in $(seq "$rounds"); do
    one+=("$(seconds taskset -c 0 "$netlab" "${args[@]}")")
    all+=("$(seconds "$netlab" "${args[@]}")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
m1=$(median "${one[@]}"); mall=$(median "${all[@]}")
echo "one core:  ${one[*]} s (median $m1)"
echo "$(nproc) cores: ${all[*]} s (median $mall)"
echo "speed-up: $(echo "scale=2; $m1 / $mall" | bc)x"
