import Foundation
import NetLabModel

extension ReplayCheck {
    /// Keeps the replay check's captures for the user (`calibrate --replay --keep-captures`): each
    /// capture with the map that names its two addresses, the check's topology, and a README
    /// with the `netlab replay` command of each, so that a capture made on this host can be
    /// replayed again, through other groupings or with another profile.
    struct CaptureKeeper {
        let directory: URL
        /// The README's lines, one block per capture kept.
        var commands: [String] = []

        init(directory: URL, topologyText: String) throws(Failure) {
            self.directory = directory
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try Data(topologyText.utf8).write(to: directory.appendingPathComponent("topology.json"))
            } catch {
                throw Failure(description: "could not keep the captures in \(directory.path): \(error)")
            }
        }

        /// Copies the capture at `path` in, beside its map.
        mutating func keep(
            _ path: String, workload: Int, named name: String, placement: Placement, run: Int, map: String,
            point: CapturePoint
        ) throws(Failure) {
            let stem = "w\(workload + 1)-\(placement.grouping)-run\(run)"
            do {
                let capture = directory.appendingPathComponent("\(stem).pcap")
                try? FileManager.default.removeItem(at: capture)
                try FileManager.default.copyItem(at: URL(fileURLWithPath: path), to: capture)
                try Data(map.utf8).write(to: directory.appendingPathComponent("\(stem).map.json"))
            } catch {
                throw Failure(description: "could not keep the capture \(stem).pcap in \(directory.path): \(error)")
            }
            commands.append(
                """
                # \(name), \(placement.name), run \(run)
                netlab replay \(stem).pcap --map \(stem).map.json --topology topology.json --mode causal --captured-in \(placement.grouping) --capture-point \(point.rawValue)
                """)
        }

        /// Writes the README; the check replayed the captures with the profile `profile`.
        func finish(profile: String) throws(Failure) {
            let text =
                """
                The captures of netlab calibrate --replay on this host: the reference application's
                exchanges, captured with tcpdump inside the client's pod (on the loopback device in one
                pod). topology.json has one grouping per placement; each capture replays through all of
                them. The check replayed them with the profile \(profile); add --profile with that
                profile (a built-in name or its file) to each command below to do the same. Run them
                in this directory.


                """ + commands.joined(separator: "\n\n") + "\n"
            do {
                try Data(text.utf8).write(to: directory.appendingPathComponent("README.txt"))
            } catch {
                throw Failure(description: "could not write \(directory.path)/README.txt: \(error)")
            }
        }
    }
}
