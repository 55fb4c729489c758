// ns-3 reference for netlab's TCP bottleneck cases (Tests/NetLabModelTests/TCPBehaviourTests.swift):
// N bulk TCP streams, each from its own node, through one switch into a receiver behind a
// 1 Gb/s port with a drop-tail buffer of B bytes; NewReno with SACK, minimum RTO 200 ms, no
// delayed ACKs, no timestamps (1460-byte segments), 2 s; or BBR (TcpBbr with pacing) with
// --congestionControl=bbr. Stream i starts i * --stagger microseconds after stream 0 (0: all
// together). Prints the goodput of each stream.
//
// Build and run (Debian's libns3-dev 3.37): Benchmarks/ns3/run-tcp-bottleneck.sh
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <cstdio>

using namespace ns3;

int main(int argc, char *argv[]) {
    uint32_t streams = 1;
    std::string buffer = "1048576B";
    std::string senderRate = "10Gbps";
    double seconds = 2.0;
    std::string congestionControl = "reno";
    uint32_t stagger = 0;
    CommandLine cmd;
    cmd.AddValue("streams", "bulk streams, one per sender node", streams);
    cmd.AddValue("buffer", "the switch port's buffer, e.g. 65536B", buffer);
    cmd.AddValue("senderRate", "each sender's link rate", senderRate);
    cmd.AddValue("seconds", "simulated time", seconds);
    cmd.AddValue("stagger", "microseconds between the starts of consecutive streams", stagger);
    cmd.AddValue("congestionControl", "reno (NewReno with SACK) or bbr (TcpBbr, paced)", congestionControl);
    cmd.Parse(argc, argv);

    if (congestionControl == "bbr") {
        Config::SetDefault("ns3::TcpL4Protocol::SocketType", TypeIdValue(TcpBbr::GetTypeId()));
        Config::SetDefault("ns3::TcpSocketState::EnablePacing", BooleanValue(true));
    } else {
        Config::SetDefault("ns3::TcpL4Protocol::SocketType", TypeIdValue(TcpNewReno::GetTypeId()));
    }
    Config::SetDefault("ns3::TcpSocketBase::Sack", BooleanValue(true));
    Config::SetDefault("ns3::TcpSocketBase::Timestamp", BooleanValue(false));
    Config::SetDefault("ns3::TcpSocketBase::MinRto", TimeValue(MilliSeconds(200)));
    Config::SetDefault("ns3::TcpSocket::DelAckCount", UintegerValue(1));
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1460));
    Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(4 << 20));
    Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(4 << 20));
    Config::SetDefault("ns3::TcpSocket::InitialCwnd", UintegerValue(10));

    NodeContainer senders, middle, receiver;
    senders.Create(streams);
    middle.Create(1);
    receiver.Create(1);
    InternetStackHelper internet;
    internet.InstallAll();

    PointToPointHelper access;
    access.SetDeviceAttribute("DataRate", StringValue(senderRate));
    access.SetChannelAttribute("Delay", StringValue("5us"));
    PointToPointHelper bottleneck;
    bottleneck.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
    bottleneck.SetChannelAttribute("Delay", StringValue("5us"));
    bottleneck.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("1p"));

    Ipv4AddressHelper addresses;
    std::vector<Ipv4InterfaceContainer> senderInterfaces;
    for (uint32_t i = 0; i < streams; i++) {
        NetDeviceContainer link = access.Install(senders.Get(i), middle.Get(0));
        std::ostringstream subnet;
        subnet << "198.18." << i << ".0";
        addresses.SetBase(subnet.str().c_str(), "255.255.255.0");
        senderInterfaces.push_back(addresses.Assign(link));
    }
    NetDeviceContainer last = bottleneck.Install(middle.Get(0), receiver.Get(0));
    TrafficControlHelper port;
    port.SetRootQueueDisc("ns3::FifoQueueDisc", "MaxSize", StringValue(buffer));
    port.Install(last.Get(0));
    addresses.SetBase("198.19.0.0", "255.255.255.0");
    Ipv4InterfaceContainer receiverInterfaces = addresses.Assign(last);
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

    std::vector<Ptr<PacketSink>> sinks;
    for (uint32_t i = 0; i < streams; i++) {
        uint16_t portNumber = 5000 + i;
        PacketSinkHelper sink("ns3::TcpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), portNumber));
        ApplicationContainer sinkApp = sink.Install(receiver.Get(0));
        sinkApp.Start(Seconds(0));
        sinks.push_back(DynamicCast<PacketSink>(sinkApp.Get(0)));
        BulkSendHelper source("ns3::TcpSocketFactory", InetSocketAddress(receiverInterfaces.GetAddress(1), portNumber));
        source.SetAttribute("MaxBytes", UintegerValue(0));
        source.SetAttribute("SendSize", UintegerValue(65536));
        ApplicationContainer sourceApp = source.Install(senders.Get(i));
        sourceApp.Start(MicroSeconds(i * stagger));
    }
    Simulator::Stop(Seconds(seconds));
    Simulator::Run();
    for (uint32_t i = 0; i < streams; i++) {
        std::printf("%s%.1f", i == 0 ? "" : " ", sinks[i]->GetTotalRx() * 8.0 / seconds / 1e6);
    }
    std::printf("\n");
    Simulator::Destroy();
    return 0;
}
