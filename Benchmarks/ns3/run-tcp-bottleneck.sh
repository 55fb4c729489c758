#!/usr/bin/env bash
# Runs netlab's TCP bottleneck cases in ns-3 3.37 (Debian's libns3-dev) and in netlab, and prints
# both tools' goodput per stream side by side with Jain's fairness index. Manual (CI has no ns-3):
#   apt-get install libns3-dev && Benchmarks/ns3/run-tcp-bottleneck.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
g++ -O2 -std=c++17 -o "$work/ns3-tcp" Benchmarks/ns3/tcp-bottleneck.cc \
    -lns3-core -lns3-network -lns3-internet -lns3-point-to-point -lns3-applications -lns3-traffic-control -lns3-bridge -lns3-stats
swift build -c release --product netlab >/dev/null
netlab=.build/release/netlab

topology() {  # streams buffer senderRate [congestionControl [staggerMicroseconds]]
    python3 - "$@" <<'PY'
import json, sys
streams, buffer, rate = int(sys.argv[1]), sys.argv[2], sys.argv[3]
cc = {"congestion_control": sys.argv[4]} if len(sys.argv) > 4 else {}
stagger = int(sys.argv[5]) if len(sys.argv) > 5 else 0
start = lambda i: {"start": f"{i * stagger}us"} if i * stagger > 0 else {}
nodes = [{"name": "b", "nic": {"rate": "1Gbps"}}] + [{"name": f"a{i}", "nic": {"rate": rate}} for i in range(streams)]
print(json.dumps({"name": "bottleneck", "duration": "2s", "profile": "ideal",
    "cluster": {"nodes": nodes, "fabric": {"rate": "10Gbps", "latency": "5us", "buffer": buffer}},
    "containers": ["dst"] + [f"src{i}" for i in range(streams)],
    "flows": [{"name": f"s{i}", "from": f"src{i}", "to": "dst", "pattern": "stream", **cc, **start(i)} for i in range(streams)],
    "groupings": [{"name": "g", "pods": [{"containers": ["dst"], "node": "b"}] + [{"containers": [f"src{i}"], "node": f"a{i}"} for i in range(streams)]}]}))
PY
}
goodput() {  # topology file: netlab's goodput per stream, Mb/s
    "$netlab" simulate "$1" --format json | python3 -c 'import json,sys; print(" ".join("%.1f" % (f["throughput_bps"] / 1e6) for f in json.load(sys.stdin)["groupings"][0]["flows"]))'
}
jain() { python3 -c 'import sys; x=[float(v) for v in sys.argv[1:]]; print(f"{sum(x)**2/(len(x)*sum(v*v for v in x)):.3f}")' "$@"; }

run() {  # streams bufferBytes senderRate [bbr]
    local ns3 ours
    if [ "${4:-}" = bbr ]; then
        ns3=$("$work/ns3-tcp" --streams="$1" --buffer="$2B" --senderRate="$3" --congestionControl=bbr)
        topology "$1" "$2B" "$3" bbr > "$work/t.json"
    else
        ns3=$("$work/ns3-tcp" --streams="$1" --buffer="$2B" --senderRate="$3")
        topology "$1" "$2B" "$3" > "$work/t.json"
    fi
    ours=$(goodput "$work/t.json")
    echo "| $1 | $3 | $2 B | $ns3 | $(jain $ns3) | $ours | $(jain $ours) |"
}
header() {
    echo "| streams | sender | port buffer | ns-3 Mb/s per stream | ns-3 Jain | netlab Mb/s per stream | netlab Jain |"
    echo "| --- | --- | --- | --- | --- | --- | --- |"
}
echo "ns-3 NewReno against netlab's default (CUBIC):"
header
for buffer in 32768 65536 262144 1048576 4194304; do run 1 "$buffer" 10Gbps; done
for streams in 2 4; do for buffer in 65536 1048576; do run "$streams" "$buffer" 1Gbps; done; done
echo
echo "ns-3 TcpBbr (paced) against netlab's BBR:"
header
for buffer in 65536 262144 1048576 4194304; do run 1 "$buffer" 10Gbps bbr; done
for streams in 2 4; do for buffer in 65536 1048576 4194304; do run "$streams" "$buffer" 1Gbps bbr; done; done
echo
echo "BBR when the streams do not start together (stream i starts i × the stagger later; 1 MiB buffer):"
echo "| streams | stagger | ns-3 Mb/s per stream | ns-3 Jain | netlab Mb/s per stream | netlab Jain |"
echo "| --- | --- | --- | --- | --- | --- |"
for streams in 2 4; do
    for stagger in 1 37 500; do
        ns3=$("$work/ns3-tcp" --streams="$streams" --buffer=1048576B --senderRate=1Gbps --congestionControl=bbr --stagger="$stagger")
        topology "$streams" 1048576B 1Gbps bbr "$stagger" > "$work/t.json"
        ours=$(goodput "$work/t.json")
        echo "| $streams | $stagger µs | $ns3 | $(jain $ns3) | $ours | $(jain $ours) |"
    done
done
echo
echo "Ceilings: ns-3's point-to-point frames add 2 bytes (PPP) to a 1500-byte packet, 1460/1502 of 1 Gb/s = 972 Mb/s;"
echo "netlab's Ethernet frames add 38 (header, FCS, preamble, gap), 1460/1538 = 949 Mb/s."
