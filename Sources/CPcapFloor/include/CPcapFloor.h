#ifndef NETLAB_PCAP_FLOOR_H
#define NETLAB_PCAP_FLOOR_H

/// The libpcap floor for capture ingest: opens `path` with nanosecond timestamps, calls
/// pcap_next_ex until the end and does nothing else. Returns the number of packets read, or -1
/// if the file cannot be opened or is damaged.
long netlab_pcap_floor(const char *path);

#endif
