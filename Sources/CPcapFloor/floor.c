// The fastest a reader built on libpcap can go: what `netlab bench ingest` compares with.
#include "CPcapFloor.h"
#include <pcap/pcap.h>

long netlab_pcap_floor(const char *path) {
    char errors[PCAP_ERRBUF_SIZE];
    pcap_t *handle = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errors);
    if (handle == NULL) return -1;
    struct pcap_pkthdr *header;
    const u_char *data;
    long packets = 0;
    int status;
    while ((status = pcap_next_ex(handle, &header, &data)) == 1) packets++;
    pcap_close(handle);
    return status == PCAP_ERROR_BREAK ? packets : -1;
}
