#!/usr/bin/env python3
"""Writes netlab topologies of the two scenarios htsim-driver.cpp builds: pair.json and many.json.

pair: one flow from node a to node b, a 1000-byte UDP payload (a 1066-byte frame with headers,
preamble and gap) every microsecond, 10 Gb/s NIC and switch port, 5 us wires.
many: 100 nodes, 1000 such flows (node n's flow j goes to node (n + 1 + j) mod 100, starting
j x 1.066 us into the run, a frame every 10.66 us), so that no two frames meet in a queue.
"""
import json
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "."
fabric = {"rate": "10Gbps", "latency": "5us"}

pair = {
    "name": "htsim-pair", "duration": "1s", "profile": "ideal",
    "cluster": {"nodes": [{"name": "a", "nic": {"rate": "10Gbps"}}, {"name": "b", "nic": {"rate": "10Gbps"}}], "fabric": fabric},
    "containers": ["sender", "receiver"],
    "flows": [{"from": "sender", "to": "receiver", "pattern": "oneway", "transport": "udp", "size": "1000B", "interval": "1us"}],
    "groupings": [{"name": "cross-node", "pods": [{"containers": ["sender"], "node": "a"}, {"containers": ["receiver"], "node": "b"}]}],
}

nodes = 100
many = {
    "name": "htsim-many", "duration": "1s", "profile": "ideal",
    "cluster": {"nodes": [{"name": f"n{n}", "nic": {"rate": "10Gbps"}} for n in range(nodes)], "fabric": fabric},
    "containers": [f"c{n}" for n in range(nodes)],
    "flows": [
        {"name": f"f{n}-{j}", "from": f"c{n}", "to": f"c{(n + 1 + j) % nodes}", "pattern": "oneway", "transport": "udp",
         "size": "1000B", "interval": "10.66us", "start": f"{j * 1066}ns"}
        for n in range(nodes) for j in range(10)
    ],
    "groupings": [{"name": "one-pod-per-node", "pods": [{"containers": [f"c{n}"], "node": f"n{n}"} for n in range(nodes)]}],
}

for name, topology in (("pair", pair), ("many", many)):
    with open(f"{out}/{name}.json", "w") as file:
        json.dump(topology, file, indent=1)
