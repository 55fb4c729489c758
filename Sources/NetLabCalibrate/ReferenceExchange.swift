import CCalibrate
import NetLabModel

/// The reference request/response application of `calibrate --replay` (C, beside calibrate's
/// timing loops): a client that thinks, sends a request over TCP and waits for the whole reply;
/// a server that reads it, computes, and replies. The client's own timestamps are the truth a
/// replay is judged against.
struct ReferenceExchange {
    var workload: ReplayCheckRecord.Workload
    var port: Int
    var seed: UInt64
    /// Cores of the client and the server.
    var cores: (client: Int, server: Int)

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs every exchange between the two namespaces (paths under /run/netns) and returns each
    /// request-to-reply time in microseconds, in order.
    func run(clientNamespace: String, serverNamespace: String, serverAddress: String) throws(Failure) -> [Double] {
        var spec = nl_spec()
        spec.transport = NL_TCP
        spec.size = Int32(workload.requestBytes)
        spec.reply_size = Int32(workload.replyBytes)
        spec.server_work_us = workload.serverWorkMicroseconds
        spec.think_us = workload.thinkMeanMicroseconds
        spec.think_exponential = 1
        spec.seed = seed
        spec.server_port = Int32(port)
        spec.iterations = Int32(workload.exchanges)
        spec.client_cpu = Int32(cores.client)
        spec.server_cpu = Int32(cores.server)
        var samples = [Double](repeating: 0, count: workload.exchanges)
        var result = nl_result()
        let status = samples.withUnsafeMutableBufferPointer { buffer in
            clientNamespace.withCString { client in
                serverNamespace.withCString { server in
                    serverAddress.withCString { address in
                        spec.client_netns = client
                        spec.server_netns = server
                        spec.server_address = address
                        spec.samples = buffer.baseAddress
                        return nl_pingpong(&spec, &result)
                    }
                }
            }
        }
        guard status == 0 else {
            let message = withUnsafeBytes(of: &result.error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw Failure(description: message.isEmpty ? "the reference application failed" : message)
        }
        guard Int(result.count) == workload.exchanges else {
            throw Failure(
                description: "the reference application made \(result.count) of \(workload.exchanges) exchanges")
        }
        return samples
    }
}
