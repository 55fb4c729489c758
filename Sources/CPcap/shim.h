// The libpcap API netlab uses (Debian: libpcap-dev). Only NetLabTrace's PcapCalls.swift calls it.
#include <pcap/pcap.h>
#include <stdio.h>
