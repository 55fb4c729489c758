#ifndef NETLAB_CALIBRATE_H
#define NETLAB_CALIBRATE_H

/// The timing loops of `netlab calibrate`: a client process and a server process it forks, on
/// the cores and in the network namespaces asked for, exchanging real messages. Written in C so
/// that nothing but the system calls being measured sits inside the timed loop.

typedef enum {
    NL_TCP = 0,      // loopback or routed TCP with TCP_NODELAY
    NL_UDP = 1,
    NL_UDS = 2,      // Unix stream socket (socketpair)
    NL_UDS_DGRAM = 3,
    NL_PIPE = 4,
    NL_SHM_FUTEX = 5, // shared memory, waiting on a futex
    NL_SHM_SPIN = 6,  // shared memory, spinning
} nl_transport;

typedef struct {
    nl_transport transport;
    int size;              // bytes each way per round trip; bytes per write for bulk
    int iterations;        // timed round trips (ping-pong); ignored for bulk
    double seconds;        // bulk: how long to stream
    int client_cpu;        // -1: any core
    int server_cpu;
    int poll;              // 1: busy-poll (non-blocking receive in a loop), 0: block
    const char *client_netns;  // path under /var/run/netns, or NULL for the current one
    const char *server_netns;
    const char *server_address; // IPv4 for TCP/UDP; NULL: 127.0.0.1
    double think_us;       // ping-pong: the client sleeps this long before each round trip (untimed)
    const char *congestion; // TCP: the congestion control both ends use (TCP_CONGESTION), or NULL for the host's
    // Request/response exchanges (the reference application of `calibrate --replay`); all zero for
    // symmetric round trips.
    int reply_size;        // bytes the server answers with; 0: `size`
    double server_work_us; // the server computes (spins) this long before it answers
    int think_exponential; // 1: think times drawn from an exponential distribution of mean `think_us`
    unsigned long long seed; // for those draws
    int server_port;       // TCP/UDP: the server's port, or 0 for any free one
    double *samples;       // when set: every round trip in order, `iterations` of them, none untimed
} nl_spec;

typedef struct {
    double p10, p50, p90, p99, p999;  // ping-pong: round trip in microseconds
    double bits_per_second; // bulk
    int count;
    char error[200];       // empty on success
} nl_result;

/// Round trips of `spec->size` bytes each way. Returns 0, or -1 with `out->error` set.
int nl_pingpong(const nl_spec *spec, nl_result *out);

/// A stream of `spec->size`-byte writes for `spec->seconds`, measured at the reader.
int nl_bulk(const nl_spec *spec, nl_result *out);

#endif
