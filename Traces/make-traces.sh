#!/usr/bin/env bash
# Re-creates the captures in this folder with real tools in network namespaces that the script
# creates and deletes. Run as root on Debian: apt-get install iproute2 tcpdump iperf3 sockperf curl python3
#
# Layout: two "pods" (namespaces nl-pod-a, nl-pod-b) joined by veth pairs to a bridge in a "node"
# namespace (nl-node), as a CNI bridge plugin joins pods on one node. Addresses come only from the
# benchmarking ranges 198.18.0.0/15 and 2001:2::/48. Nothing leaves the namespaces.
set -euo pipefail
cd "$(dirname "$0")"

A=nl-pod-a B=nl-pod-b NODE=nl-node
A4=198.18.0.2 B4=198.18.0.3 A6=2001:2::2 B6=2001:2::3
SNAP=128

cleanup() {
    for ns in "$A" "$B" "$NODE"; do ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true; done
    sleep 0.2
    for ns in "$A" "$B" "$NODE"; do ip netns del "$ns" 2>/dev/null || true; done
}
trap cleanup EXIT
cleanup

for ns in "$A" "$B" "$NODE"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip -n "$NODE" link add br0 type bridge
ip -n "$NODE" link set br0 up
for pair in "a:$A:$A4:$A6" "b:$B:$B4:$B6"; do
    IFS=: read -r tag ns v4 v6 <<<"${pair//::/@@}"
    v6=${v6//@@/::}
    ip link add "veth-$tag" netns "$ns" type veth peer name "host-$tag" netns "$NODE"
    ip -n "$NODE" link set "host-$tag" master br0 up
    ip -n "$ns" link set "veth-$tag" name eth0
    ip -n "$ns" addr add "$v4/24" dev eth0
    ip -n "$ns" addr add "$v6/64" dev eth0 nodad
    ip -n "$ns" link set eth0 up
done
ip netns exec "$NODE" sysctl -qw net.ipv6.conf.all.disable_ipv6=0
sleep 1

capture() {  # namespace interface file filter...
    local ns=$1 dev=$2 file=$3; shift 3
    rm -f tcpdump.log
    ip netns exec "$ns" tcpdump -q -i "$dev" -s "$SNAP" -w "$file" "$@" 2>tcpdump.log &
    CAPTURE=$!
    for _ in $(seq 1 50); do grep -q "listening on" tcpdump.log 2>/dev/null && break; sleep 0.1; done
    sleep 0.5
}
stop_capture() { sleep 0.5; kill -INT "$CAPTURE"; wait "$CAPTURE" 2>/dev/null || true; rm -f tcpdump.log; }

# 1. Intra-pod: two processes in one namespace, request/response over loopback TCP, then over a
#    Unix socket. pcap sees only the TCP part: Unix socket traffic never reaches a network device.
capture "$A" lo intra-pod-loopback.pcap tcp
ip netns exec "$A" python3 - <<'PY'
import socket, os, threading
def serve_tcp(server):
    connection, _ = server.accept()
    with connection:
        while (data := connection.recv(4096)):
            connection.sendall(b"r" * 512)
server = socket.create_server(("127.0.0.1", 7000))
threading.Thread(target=serve_tcp, args=(server,), daemon=True).start()
client = socket.create_connection(("127.0.0.1", 7000))
for _ in range(50):
    client.sendall(b"q" * 100)
    got = 0
    while got < 512: got += len(client.recv(4096))
client.close()
path = "/tmp/netlab-trace.sock"
if os.path.exists(path): os.unlink(path)
unix = socket.socket(socket.AF_UNIX); unix.bind(path); unix.listen()
def serve_unix():
    connection, _ = unix.accept()
    with connection:
        while (data := connection.recv(4096)): connection.sendall(b"u" * 256)
threading.Thread(target=serve_unix, daemon=True).start()
peer = socket.socket(socket.AF_UNIX); peer.connect(path)
for _ in range(50):
    peer.sendall(b"x" * 64); peer.recv(4096)
peer.close(); os.unlink(path)
PY
stop_capture

# 2. Pod to pod over veth + bridge: HTTP requests from pod b to a web server in pod a.
capture "$NODE" br0 pod-to-pod-http.pcap ip
ip netns exec "$A" python3 -m http.server 8080 --bind "$A4" >/dev/null 2>&1 &
WEB=$!
sleep 1
for i in $(seq 1 20); do ip netns exec "$B" curl -s -o /dev/null "http://$A4:8080/"; done
kill "$WEB"
stop_capture

# 3. Pod to pod bulk transfer: a short iperf3 burst of 3 MB, paced at 100 Mbit/s.
capture "$NODE" br0 pod-to-pod-iperf.pcap ip
ip netns exec "$A" iperf3 -s -1 -B "$A4" -p 5201 >/dev/null 2>&1 &
sleep 1
ip netns exec "$B" timeout 20 iperf3 -c "$A4" -p 5201 -n 3M -b 100M >/dev/null
stop_capture

# 4. Pod to pod request/response ping-pong: sockperf over UDP, 200 messages per second for 1 s.
capture "$NODE" br0 pod-to-pod-sockperf.pcap ip
ip netns exec "$A" sockperf server -i "$A4" -p 11111 >/dev/null 2>&1 &
SOCKPERF=$!
sleep 1
ip netns exec "$B" timeout 20 sockperf ping-pong -i "$A4" -p 11111 -t 1 --mps 200 -m 64 >/dev/null 2>&1 || true
kill "$SOCKPERF"
stop_capture

# 5. IPv6: HTTP between the pods over 2001:2::/64.
capture "$NODE" br0 pod-to-pod-ipv6.pcap ip6 and tcp
ip netns exec "$A" python3 -m http.server 8080 --bind "$A6" >/dev/null 2>&1 &
WEB=$!
sleep 1
for i in $(seq 1 10); do ip netns exec "$B" curl -s -o /dev/null "http://[$A6]:8080/"; done
kill "$WEB"
stop_capture

ls -l *.pcap
