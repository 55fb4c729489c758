// The two scenarios of Benchmarks/htsim/run-htsim-comparison.sh, built on htsim's own queue, pipe,
// packet and event list (Broadcom/csg-htsim, sim/), so that netlab and htsim run the same model:
//
//   pair:  one constant-rate flow, node a -> NIC queue (10 Gb/s) -> 5 us wire -> switch port
//          (10 Gb/s) -> 5 us wire -> node b; a 1066-byte frame every microsecond for 1 s.
//   many:  100 nodes on one switch, 1000 constant-rate flows (10 per node, node n's flow j goes
//          to node (n + 1 + j) mod 100, starting j x 1.066 us into the run), a 1066-byte frame
//          every 10.66 us each, for 1 s; same link rates and wires.
//
// Prints packets delivered, the smallest and largest one-way delay, events and wall-clock time.
// Usage: htsim-driver pair|many [seconds]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>
#include "cbrpacket.h"
#include "config.h"
#include "eventlist.h"
#include "network.h"
#include "pipe.h"
#include "queue.h"
#include "route.h"

static const int frameBytes = 1066;
static uint64_t events = 0;

// A sink that measures each packet's delay from the time its source sent it.
class DelaySink : public PacketSink {
public:
    DelaySink(simtime_picosec start, simtime_picosec period) : _start(start), _period(period) {}
    void receivePacket(Packet& packet) override {
        simtime_picosec sent = _start + (simtime_picosec)(packet.id() - 1) * _period;
        simtime_picosec delay = EventList::now() - sent;
        if (delay < smallest) smallest = delay;
        if (delay > largest) largest = delay;
        received++;
        packet.free();
    }
    const string& nodename() override { return _name; }
    static uint64_t received;
    static simtime_picosec smallest, largest;
private:
    simtime_picosec _start, _period;
    string _name = "sink";
};
uint64_t DelaySink::received = 0;
simtime_picosec DelaySink::smallest = ~0ull, DelaySink::largest = 0;

// A source sending one frame every `period`, from `start` until the end of the run.
class ConstantSource : public EventSource {
public:
    ConstantSource(EventList& list, simtime_picosec start, simtime_picosec period, simtime_picosec end, route_t* route)
        : EventSource(list, "cbr"), _period(period), _end(end), _route(route) {
        _flow.set_id(get_id());
        EventList::sourceIsPending(*this, start);
    }
    void doNextEvent() override {
        events++;
        Packet* packet = CbrPacket::newpkt(_flow, *_route, _next++, frameBytes);
        packet->sendOn();
        if (EventList::now() + _period < _end) EventList::sourceIsPendingRel(*this, _period);
    }
private:
    PacketFlow _flow{nullptr};
    simtime_picosec _period, _end;
    route_t* _route;
    int _next = 1;
};

int main(int argc, char** argv) {
    if (argc < 2 || (strcmp(argv[1], "pair") && strcmp(argv[1], "many"))) {
        fprintf(stderr, "usage: %s pair|many [seconds]\n", argv[0]);
        return 2;
    }
    bool many = strcmp(argv[1], "many") == 0;
    double seconds = argc > 2 ? atof(argv[2]) : 1.0;
    EventList list;
    simtime_picosec end = timeFromSec(seconds);
    list.setEndtime(end);
    linkspeed_bps rate = speedFromGbps(10);
    mem_b buffer = 1 << 20;
    simtime_picosec wire = timeFromUs(5u);
    int nodes = many ? 100 : 2, perNode = many ? 10 : 1;
    simtime_picosec period = many ? 10660000 : 1000000, stagger = 1066000;

    std::vector<Queue*> nic, port;
    std::vector<Pipe*> up, down;
    for (int n = 0; n < nodes; n++) {
        nic.push_back(new Queue(rate, buffer, list, nullptr));
        port.push_back(new Queue(rate, buffer, list, nullptr));
        up.push_back(new Pipe(wire, list));
        down.push_back(new Pipe(wire, list));
    }
    for (int n = 0; n < (many ? nodes : 1); n++) {
        for (int j = 0; j < perNode; j++) {
            int to = many ? (n + 1 + j) % nodes : 1;
            simtime_picosec start = many ? j * stagger : period;
            DelaySink* sink = new DelaySink(start, period);
            route_t* route = new route_t();
            route->push_back(nic[n]);
            route->push_back(up[n]);
            route->push_back(port[to]);
            route->push_back(down[to]);
            route->push_back(sink);
            new ConstantSource(list, start, period, end, route);
        }
    }
    auto begin = std::chrono::steady_clock::now();
    uint64_t steps = 0;
    while (EventList::doNextEvent()) steps++;
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    printf("htsim %s: packets %llu, delay min %.1f ns max %.1f ns, events %llu, wall %.3f s, %.2f M packets/s\n",
           argv[1], (unsigned long long)DelaySink::received, DelaySink::smallest / 1000.0, DelaySink::largest / 1000.0,
           (unsigned long long)steps, wall, DelaySink::received / wall / 1e6);
    return 0;
}
