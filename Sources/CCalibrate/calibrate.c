// The timing loops behind `netlab calibrate`. Each measurement forks a server and a client
// process (so that the calling process never changes namespace or affinity), which meet over the
// transport asked for; the client times round trips (or the server times a stream) and leaves the
// figures in shared memory for the caller.
#define _GNU_SOURCE
#include "calibrate.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NL_MAX_SAMPLES 200000
#define NL_MAX_SIZE 65536
#define NL_WARMUP 200
#define NL_THINK_WARMUP 20  // round trips with think time are slow; their caches are cold anyway
#define NL_CHILD_TIMEOUT 30

typedef struct {
    double samples[NL_MAX_SAMPLES];
    int count;
    double bits_per_second;
    char error[200];
    _Atomic uint32_t request_seq;
    _Atomic uint32_t response_seq;
    char request[NL_MAX_SIZE];
    char response[NL_MAX_SIZE];
} shared_area;

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

/// Sleeps `microseconds`, resuming after signals.
static void pause_for(double microseconds) {
    long long nanoseconds = (long long)(microseconds * 1e3);
    struct timespec left = {.tv_sec = (time_t)(nanoseconds / 1000000000LL), .tv_nsec = (long)(nanoseconds % 1000000000LL)};
    while (nanosleep(&left, &left) != 0 && errno == EINTR) {}
}

static int warmup_of(const nl_spec *spec) {
    if (spec->samples) return 0;  // a recorded run keeps every exchange: a capture of it holds them all
    return spec->think_us > 0 ? NL_THINK_WARMUP : NL_WARMUP;
}

static int reply_size_of(const nl_spec *spec) { return spec->reply_size > 0 ? spec->reply_size : spec->size; }

/// The next think time: `think_us`, or an exponential draw of that mean (xorshift64*, seeded).
static double next_think(const nl_spec *spec, unsigned long long *state) {
    if (!spec->think_exponential) return spec->think_us;
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    double uniform = (double)((*state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;  // [0, 1)
    return -spec->think_us * log(1 - uniform);
}

/// Spins for `microseconds`: the server's own work, on its core, as a computing server would.
static void spin_for(double microseconds) {
    double until = now_us() + microseconds;
    while (now_us() < until) {}
}

static void fail(shared_area *area, const char *what) {
    if (area->error[0] == 0) snprintf(area->error, sizeof area->error, "%s: %s", what, strerror(errno));
    _exit(1);
}

static void prepare_child(shared_area *area, const char *netns, int cpu) {
    alarm(NL_CHILD_TIMEOUT);
    if (netns) {
        int fd = open(netns, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) fail(area, "setns");
        close(fd);
    }
    if (cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        if (sched_setaffinity(0, sizeof set, &set) != 0) fail(area, "sched_setaffinity");
    }
}

static void read_fully(shared_area *area, int fd, char *buffer, int size, int poll) {
    int got = 0;
    while (got < size) {
        ssize_t n = read(fd, buffer + got, (size_t)(size - got));
        if (n > 0) { got += (int)n; continue; }
        if (n < 0 && poll && (errno == EAGAIN || errno == EWOULDBLOCK)) continue;
        if (n < 0 && errno == EINTR) continue;
        if (n == 0) { errno = ECONNRESET; }
        fail(area, "read");
    }
}

static void write_fully(shared_area *area, int fd, const char *buffer, int size, int poll) {
    int sent = 0;
    while (sent < size) {
        ssize_t n = write(fd, buffer + sent, (size_t)(size - sent));
        if (n > 0) { sent += (int)n; continue; }
        if (n < 0 && (errno == EINTR || (poll && (errno == EAGAIN || errno == EWOULDBLOCK)))) continue;
        fail(area, "write");
    }
}

static void receive_datagram(shared_area *area, int fd, char *buffer, int size, int poll,
                             struct sockaddr_storage *from, socklen_t *length) {
    for (;;) {
        if (from) *length = sizeof *from;
        ssize_t n = recvfrom(fd, buffer, (size_t)size, 0, (struct sockaddr *)from, from ? length : NULL);
        if (n >= 0) return;
        if (errno == EINTR || (poll && (errno == EAGAIN || errno == EWOULDBLOCK))) continue;
        fail(area, "recvfrom");
    }
}

static void futex_wait_change(_Atomic uint32_t *word, uint32_t old) {
    while (atomic_load(word) == old) syscall(SYS_futex, word, FUTEX_WAIT, old, NULL, NULL, 0);
}

static void futex_wake(_Atomic uint32_t *word) { syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0); }

static void set_nonblocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/// Sets the congestion control the case asks for on a TCP socket (the sender's decides a stream).
static void set_congestion(shared_area *area, const nl_spec *spec, int fd) {
    if (!spec->congestion) return;
    if (setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, spec->congestion, (socklen_t)strlen(spec->congestion)) != 0)
        fail(area, "setsockopt TCP_CONGESTION (is its module loaded, and allowed in net.ipv4.tcp_allowed_congestion_control?)");
}

/// A socket bound in the server's namespace: TCP listening, or UDP; its port goes to `ready`.
static int server_socket(shared_area *area, const nl_spec *spec, int type, int ready) {
    int fd = socket(AF_INET, type, 0);
    if (fd < 0) fail(area, "socket");
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)spec->server_port)};
    inet_pton(AF_INET, spec->server_address ? spec->server_address : "127.0.0.1", &address.sin_addr);
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0) fail(area, "bind");
    if (type == SOCK_STREAM && listen(fd, 1) != 0) fail(area, "listen");
    socklen_t length = sizeof address;
    getsockname(fd, (struct sockaddr *)&address, &length);
    uint16_t port = address.sin_port;
    if (write(ready, &port, sizeof port) != sizeof port) fail(area, "ready");
    return fd;
}

static int client_socket(shared_area *area, const nl_spec *spec, int type, int ready) {
    uint16_t port;
    if (read(ready, &port, sizeof port) != sizeof port) { errno = EPIPE; fail(area, "server did not start"); }
    int fd = socket(AF_INET, type, 0);
    if (fd < 0) fail(area, "socket");
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = port};
    inet_pton(AF_INET, spec->server_address ? spec->server_address : "127.0.0.1", &address.sin_addr);
    if (type == SOCK_STREAM) set_congestion(area, spec, fd);
    if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) fail(area, "connect");
    int one = 1;
    if (type == SOCK_STREAM) setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static void serve(shared_area *area, const nl_spec *spec, int fds[4], int ready, int bulk) {
    prepare_child(area, spec->server_netns, spec->server_cpu);
    // Keep only this side's ends open, so that the client closing its end reads as end of file.
    if (spec->transport == NL_PIPE) { close(fds[1]); close(fds[2]); }
    else if (fds[0] >= 0) close(fds[0]);
    static char buffer[NL_MAX_SIZE];
    int size = spec->size, total = spec->iterations + warmup_of(spec);
    int in = fds[1], out = fds[1];
    switch (spec->transport) {
    case NL_TCP: {
        int listener = server_socket(area, spec, SOCK_STREAM, ready);
        in = out = accept(listener, NULL, NULL);
        if (in < 0) fail(area, "accept");
        int one = 1;
        setsockopt(in, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        set_congestion(area, spec, in);
        break;
    }
    case NL_UDP: in = out = server_socket(area, spec, SOCK_DGRAM, ready); break;
    case NL_PIPE: in = fds[0]; out = fds[3]; break;  // reads the request pipe, writes the response pipe
    default: break;
    }
    if (spec->poll && in >= 0) set_nonblocking(in);
    if (bulk) {
        double first = 0, last = 0;
        long long bytes = 0;
        for (;;) {
            ssize_t n = read(in, buffer, sizeof buffer);
            if (n > 0) {
                if (bytes == 0) first = now_us();
                bytes += n;
                last = now_us();
                continue;
            }
            if (n == 0) break;
            if (errno == EINTR || (spec->poll && errno == EAGAIN)) continue;
            fail(area, "read");
        }
        area->bits_per_second = last > first ? (double)bytes * 8 / ((last - first) / 1e6) : 0;
        _exit(0);
    }
    for (int i = 1; i <= total; i++) {
        switch (spec->transport) {
        case NL_SHM_FUTEX:
        case NL_SHM_SPIN:
            if (spec->transport == NL_SHM_SPIN) { while (atomic_load(&area->request_seq) != (uint32_t)i) {} }
            else futex_wait_change(&area->request_seq, (uint32_t)(i - 1));
            memcpy(buffer, area->request, (size_t)size);
            memcpy(area->response, buffer, (size_t)size);
            atomic_store(&area->response_seq, (uint32_t)i);
            if (spec->transport == NL_SHM_FUTEX) futex_wake(&area->response_seq);
            break;
        case NL_UDP:
        case NL_UDS_DGRAM: {
            struct sockaddr_storage from;
            socklen_t length = sizeof from;
            receive_datagram(area, in, buffer, size, spec->poll, spec->transport == NL_UDP ? &from : NULL, &length);
            ssize_t n = spec->transport == NL_UDP ? sendto(out, buffer, (size_t)size, 0, (struct sockaddr *)&from, length)
                                                  : write(out, buffer, (size_t)size);
            if (n != size) fail(area, "send");
            break;
        }
        default:
            read_fully(area, in, buffer, size, spec->poll);
            if (spec->server_work_us > 0) spin_for(spec->server_work_us);
            write_fully(area, out, buffer, reply_size_of(spec), spec->poll);
        }
    }
    _exit(0);
}

static void measure(shared_area *area, const nl_spec *spec, int fds[4], int ready, int bulk) {
    prepare_child(area, spec->client_netns, spec->client_cpu);
    if (spec->transport == NL_PIPE) { close(fds[0]); close(fds[3]); }
    else if (fds[1] >= 0) close(fds[1]);
    static char message[NL_MAX_SIZE];
    memset(message, 0x5a, sizeof message);
    int size = spec->size, total = spec->iterations + warmup_of(spec);
    int in = fds[0], out = fds[0];
    switch (spec->transport) {
    case NL_TCP: in = out = client_socket(area, spec, SOCK_STREAM, ready); break;
    case NL_UDP: in = out = client_socket(area, spec, SOCK_DGRAM, ready); break;
    case NL_PIPE: in = fds[2]; out = fds[1]; break;
    default: break;
    }
    if (bulk) {
        double stop = now_us() + spec->seconds * 1e6;
        while (now_us() < stop) write_fully(area, out, message, size, 0);
        _exit(0);
    }
    if (spec->poll && in >= 0) set_nonblocking(in);
    int kept = 0;
    unsigned long long state = spec->seed * 0x9E3779B97F4A7C15ULL + 1;
    for (int i = 1; i <= total; i++) {
        // An application's pause between requests: both cores may go idle, and deeper the longer.
        if (spec->think_us > 0) pause_for(next_think(spec, &state));
        double start = now_us();
        switch (spec->transport) {
        case NL_SHM_FUTEX:
        case NL_SHM_SPIN:
            memcpy(area->request, message, (size_t)size);
            atomic_store(&area->request_seq, (uint32_t)i);
            if (spec->transport == NL_SHM_FUTEX) {
                futex_wake(&area->request_seq);
                futex_wait_change(&area->response_seq, (uint32_t)(i - 1));
            } else {
                while (atomic_load(&area->response_seq) != (uint32_t)i) {}
            }
            memcpy(message, area->response, (size_t)size);
            break;
        case NL_UDP:
        case NL_UDS_DGRAM:
            if (write(out, message, (size_t)size) != size) fail(area, "send");
            receive_datagram(area, in, message, size, spec->poll, NULL, NULL);
            break;
        default:
            write_fully(area, out, message, size, spec->poll);
            read_fully(area, in, message, reply_size_of(spec), spec->poll);
        }
        if (i > warmup_of(spec) && kept < NL_MAX_SAMPLES) area->samples[kept++] = now_us() - start;
    }
    area->count = kept;
    _exit(0);
}

static int run(const nl_spec *spec, nl_result *result, int bulk) {
    memset(result, 0, sizeof *result);
    if (spec->size < 1 || spec->size > NL_MAX_SIZE || spec->reply_size < 0 || spec->reply_size > NL_MAX_SIZE
        || spec->iterations < 0 || spec->iterations > NL_MAX_SAMPLES) {
        snprintf(result->error, sizeof result->error, "sizes must be 1-%d bytes and iterations at most %d", NL_MAX_SIZE, NL_MAX_SAMPLES);
        return -1;
    }
    if ((spec->reply_size > 0 || spec->server_work_us > 0) && spec->transport != NL_TCP && spec->transport != NL_UDS
        && spec->transport != NL_PIPE) {
        snprintf(result->error, sizeof result->error, "replies of another size and server work need tcp, uds or pipe");
        return -1;
    }
    shared_area *area = mmap(NULL, sizeof *area, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED) {
        snprintf(result->error, sizeof result->error, "mmap: %s", strerror(errno));
        return -1;
    }
    int fds[4] = {-1, -1, -1, -1}, ready[2];
    int ok = pipe(ready) == 0;
    switch (spec->transport) {
    case NL_UDS: ok = ok && socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0; break;
    case NL_UDS_DGRAM: ok = ok && socketpair(AF_UNIX, SOCK_DGRAM, 0, fds) == 0; break;
    case NL_PIPE: ok = ok && pipe(fds) == 0 && pipe(fds + 2) == 0; break;  // fds[0..1] requests, fds[2..3] responses
    default: break;
    }
    if (!ok) {
        snprintf(result->error, sizeof result->error, "pipe/socketpair: %s", strerror(errno));
        munmap(area, sizeof *area);
        return -1;
    }
    pid_t server = fork();
    if (server == 0) {
        close(ready[0]);
        serve(area, spec, fds, ready[1], bulk);
    }
    pid_t client = fork();
    if (client == 0) {
        close(ready[1]);
        measure(area, spec, fds, ready[0], bulk);
    }
    for (int i = 0; i < 4; i++) if (fds[i] >= 0) close(fds[i]);
    close(ready[0]);
    close(ready[1]);
    int client_status = 0, server_status = 0;
    waitpid(client, &client_status, 0);
    if (!WIFEXITED(client_status) || WEXITSTATUS(client_status) != 0) kill(server, SIGKILL);
    waitpid(server, &server_status, 0);
    int failed = !WIFEXITED(client_status) || WEXITSTATUS(client_status) != 0
        || !WIFEXITED(server_status) || WEXITSTATUS(server_status) != 0;
    if (failed) {
        if (area->error[0]) memcpy(result->error, area->error, sizeof result->error);
        else snprintf(result->error, sizeof result->error, "a measuring process did not finish (timed out after %d s or was killed)", NL_CHILD_TIMEOUT);
    } else if (bulk) {
        result->bits_per_second = area->bits_per_second;
    } else {
        if (spec->samples) memcpy(spec->samples, area->samples, sizeof(double) * (size_t)area->count);
        qsort(area->samples, (size_t)area->count, sizeof(double), compare);
        result->count = area->count;
        result->p10 = area->samples[area->count / 10];
        result->p50 = area->samples[area->count / 2];
        result->p90 = area->samples[area->count * 9 / 10];
        result->p99 = area->samples[area->count * 99 / 100];
        result->p999 = area->samples[area->count * 999 / 1000];
    }
    munmap(area, sizeof *area);
    return failed ? -1 : 0;
}

int nl_pingpong(const nl_spec *spec, nl_result *out) { return run(spec, out, 0); }

int nl_bulk(const nl_spec *spec, nl_result *out) {
    if (spec->transport != NL_TCP && spec->transport != NL_UDS && spec->transport != NL_PIPE) {
        snprintf(out->error, sizeof out->error, "bulk streams run over tcp, uds or pipe");
        return -1;
    }
    return run(spec, out, 1);
}
