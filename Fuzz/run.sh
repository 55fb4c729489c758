#!/usr/bin/env bash
# Builds the libFuzzer targets (address sanitizer on) and runs each on a seed corpus from Examples/,
# Traces/ and, where present, ../shared/pcap-corpus. Fails on the first crash, leak or timeout,
# leaving the input that caused it in Fuzz/artifacts/ and its path in the log.
#
# Usage: Fuzz/run.sh [SECONDS] [TARGET...]
#   SECONDS: run each target that long (new inputs every time); without it, a fixed seed and a
#   fixed number of runs per target (about 40 s each on 2 cores), the same exploration every time,
#   which is what CI runs.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzTopology FuzzProfile FuzzMap FuzzCapture FuzzImport)

swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library 2>&1 | grep -v "Cannot export local symbol" | tail -3
bin=$(swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library --show-bin-path)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p artifacts
seed() {  # target files...
    local dir="$work/$1"; shift
    mkdir -p "$dir"
    for file in "$@"; do [ -f "$file" ] && cp "$file" "$dir/" || true; done
}
seed FuzzTopology ../Examples/*.json ../Examples/*.yaml
seed FuzzProfile
printf '{ "base": "linux-default", "overrides": { "wakeup": "20us", "copy_per_byte": "80ps" } }' > "$work/FuzzProfile/seed.json"
printf 'base: ideal\noverrides:\n  stack_transmit: 1us\n' > "$work/FuzzProfile/seed.yaml"
seed FuzzMap ../Traces/*.map.json
seed FuzzCapture ../Traces/*.pcap
seed FuzzImport ../Examples/k8s/*.yaml
printf 'flows[http].rate=1000/s..8000/s:x2\ncontainers[web].cpu=0.5,1,2\nduration=100ms..1s:+100ms\n' > "$work/FuzzImport/sets.txt"
printf '{"netlab_sweep_shard":1,"identity":"x","shard":0,"shards":1,"jobs":2,"replications":1,"topology":"t","axes":[{"path":"duration","values":["1s","2s"]}]}\n{"job":0,"grouping":"g","flow":"f","values":[1.0,2.0,1.5,100.0,0.0]}\n{"job":1,"grouping":"g","flow":"f","values":[1.0,2.0,1.5,100.0,0.0]}\n{"end":true,"records":2}\n' > "$work/FuzzImport/shard.jsonl"
printf 'name: anchors\nbase: &b [1, 2]\nmore: [*b, *b]\ncontainers: &c [a, b]\n' > "$work/FuzzTopology/anchors.yaml"
if [ -d ../../shared/pcap-corpus ] && [ -z "${NETLAB_FUZZ_NO_SHARED:-}" ]; then
    find ../../shared/pcap-corpus -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \) -size -200k | head -40 |
        while read -r file; do cp "$file" "$work/FuzzCapture/$(echo "$file" | tr / _)"; done || true
fi

runs() {
    case $1 in
        FuzzTopology) echo 60000 ;; FuzzProfile) echo 150000 ;; FuzzMap) echo 1000000 ;; FuzzCapture) echo 80000 ;; FuzzImport) echo 8000 ;;
    esac
}
status=0
for target in "${targets[@]}"; do
    if [ -n "$seconds" ]; then budget=(-max_total_time="$seconds"); else budget=(-seed=1 -runs="$(runs "$target")"); fi
    echo "== $target: ${budget[*]}"
    if ! "$bin/$target" "$work/$target" "${budget[@]}" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -artifact_prefix="$PWD/artifacts/$target-" -print_final_stats=1 > "$work/$target.log" 2>&1; then
        status=1
        echo "$target FAILED:"
        grep -E "ERROR|SUMMARY|Test unit written|artifact" "$work/$target.log" | head -20
    fi
    grep -E "stat::number_of_executed_units|stat::average_exec_per_sec|cov: " "$work/$target.log" | tail -3
done
exit $status
