#!/bin/sh
# netlab against htsim (Broadcom/csg-htsim) on the same two models, run interleaved:
#
#   pair: one constant-rate flow, node a -> 10 Gb/s NIC -> 5 us wire -> 10 Gb/s switch port ->
#         5 us wire -> node b, a 1066-byte frame every microsecond, 1 s (about 1e6 packets)
#   many: 100 nodes on one switch, 1000 such flows (a frame every 10.66 us each, starts staggered
#         so that no two frames meet in a queue), 100 ms by default (about 9.4e6 packets)
#
# Both tools must deliver the same packets with the same delay (11,705.6 ns each); the script
# prints each run's packets, delays and packets per second, then the medians.
#
# htsim is not in this repository and CI does not run this. Fetch it yourself:
#   git clone https://github.com/Broadcom/csg-htsim && make -C csg-htsim/sim libhtsim.a
#   HTSIM_DIR=$PWD/csg-htsim Benchmarks/htsim/run-htsim-comparison.sh [ROUNDS] [MANY_SECONDS]
set -eu
: "${HTSIM_DIR:?set HTSIM_DIR to a checkout of Broadcom/csg-htsim with sim/libhtsim.a built}"
rounds=${1:-5}
many_seconds=${2:-0.1}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -f "$HTSIM_DIR/sim/libhtsim.a" ] || make -C "$HTSIM_DIR/sim" libhtsim.a
g++ -O3 -std=c++11 -I"$HTSIM_DIR/sim" "$here/htsim-driver.cpp" "$HTSIM_DIR/sim/libhtsim.a" -o "$work/htsim-driver"
(cd "$root" && swift build -c release --product netlab >/dev/null)
netlab="$root/.build/release/netlab"
python3 "$here/make-topologies.py" "$work"

for scenario in pair many; do
    if [ "$scenario" = pair ]; then seconds=1; else seconds=$many_seconds; fi
    : > "$work/$scenario.netlab"
    : > "$work/$scenario.htsim"
    for round in $(seq "$rounds"); do
        "$netlab" bench simulate "$work/$scenario.json" --duration "${seconds}s" --rounds 1 --format csv | tail -n 1 >> "$work/$scenario.netlab"
        "$work/htsim-driver" "$scenario" "$seconds" >> "$work/$scenario.htsim"
    done
    echo "== $scenario ($seconds s simulated, $rounds interleaved rounds)"
    echo "-- htsim";  cat "$work/$scenario.htsim"
    echo "-- netlab (grouping,events,messages,min_delay_ns,mean_delay_ns,max_delay_ns,best_seconds,median_seconds)"; cat "$work/$scenario.netlab"
    python3 - "$work/$scenario.htsim" "$work/$scenario.netlab" <<'PY'
import statistics, sys
htsim = [line.split() for line in open(sys.argv[1])]
netlab = [line.strip().split(",") for line in open(sys.argv[2])]
h_packets = {int(r[3].rstrip(",")) for r in htsim}
n_packets = {int(r[2]) for r in netlab}
h_rate = statistics.median(int(r[3].rstrip(",")) / float(r[14]) for r in htsim)
n_rate = statistics.median(int(r[2]) / float(r[6]) for r in netlab)
h_delays = {(float(r[6]), float(r[9])) for r in htsim}
n_delays = {(float(r[3]), float(r[5])) for r in netlab}
print(f"packets: htsim {sorted(h_packets)}, netlab {sorted(n_packets)}, identical: {h_packets == n_packets}")
print(f"delays (min, max) ns: htsim {sorted(h_delays)}, netlab {sorted(n_delays)}, identical: {h_delays == n_delays}")
print(f"median packets/s: htsim {h_rate / 1e6:.2f} M, netlab {n_rate / 1e6:.2f} M, netlab/htsim {n_rate / h_rate:.2f}x")
# The speed comparison means something only if both simulated the same thing.
if h_packets != n_packets or h_delays != n_delays:
    sys.exit("htsim and netlab disagree on packets or delays: the comparison is void")
PY
done
