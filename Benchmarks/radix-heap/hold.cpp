// The hold model on a plain C++ binary radix heap (std::vector buckets, the textbook structure
// after Ahuja, Mehlhorn, Orlin and Tarjan), as a reference for `netlab bench hold`: the same
// 32-byte entries (time, sequence, 16 bytes of payload), the same exponential increments of mean
// 1 ms in integer picoseconds, the hold phase timed straight after the prefill.
//
//   g++ -O3 -march=native -o hold hold.cpp && ./hold 100000 20000000
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

struct Entry {
    uint64_t time, sequence, kind, argument;
};

class RadixHeap {
    std::vector<Entry> buckets[65];
    uint64_t last = 0;
    size_t size = 0;
    static int bucketOf(uint64_t key, uint64_t last) { return key == last ? 0 : 64 - __builtin_clzll(key ^ last); }

public:
    void push(const Entry &e) {
        buckets[bucketOf(e.time, last)].push_back(e);
        ++size;
    }
    Entry pop() {
        if (buckets[0].empty()) {
            int b = 1;
            while (buckets[b].empty()) ++b;
            uint64_t minimum = UINT64_MAX;
            for (const Entry &e : buckets[b]) minimum = std::min(minimum, e.time);
            last = minimum;
            for (const Entry &e : buckets[b]) buckets[bucketOf(e.time, last)].push_back(e);
            buckets[b].clear();
        }
        // Bucket 0 holds one time only; take from its back (order among equal times is not kept here).
        Entry e = buckets[0].back();
        buckets[0].pop_back();
        --size;
        return e;
    }
};

int main(int argc, char **argv) {
    long pending = argc > 1 ? atol(argv[1]) : 100000;
    long events = argc > 2 ? atol(argv[2]) : 20000000;
    std::mt19937_64 random(1);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    auto increment = [&] { return (uint64_t)(-std::log(1.0 - unit(random)) * 1e9); };
    RadixHeap heap;
    uint64_t sequence = 0;
    for (long i = 0; i < pending; ++i) heap.push({increment(), sequence++, 0, 0});
    auto start = std::chrono::steady_clock::now();
    uint64_t now = 0;
    for (long i = 0; i < events; ++i) {
        Entry e = heap.pop();
        now = e.time;
        heap.push({now + increment(), sequence++, e.kind, e.argument});
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    printf("radix-heap-cpp,%ld,%ld,%.6f,%.1f,%llu\n", pending, events, seconds, events / seconds,
           (unsigned long long)now);
    return 0;
}
