/// One capturing interface of a capture taken on several (`--interface`): by name or number in a
/// pcapng file (dumpcap -i A -i B), by interface index in a `tcpdump -i any` capture (LINUX_SLL2,
/// which records each packet's index but no names). Classic single-interface captures have
/// nothing to choose from.
struct InterfaceSelection {
    private enum Match {
        /// pcapng: an interface with this `if_name`, or with this index in its section.
        case pcapngName(String)
        case pcapngID(Int)
        /// LINUX_SLL2: the interface index in each packet's link header.
        case linuxIndex(UInt32)
    }

    private let match: Match
    private let path: String
    /// pcapng names that more than one interface declares: those are labelled `name#ID`.
    private var sharedNames: Set<String> = []

    /// Checks that `value` names an interface the capture records.
    /// - Throws: ``TraceError`` for a capture without interfaces to choose from, or an interface
    ///   it does not hold (listing those it does).
    init(_ value: String, path: String, format: CaptureFormat, linkType: Int32) throws(TraceError) {
        self.path = path
        if format == .pcapng {
            guard let declared = PcapngInterfaces.declared(in: path) else {
                throw TraceError(
                    kind: .damaged, file: path,
                    problem:
                        "the file's pcapng block structure is damaged, so which interface captured each packet is unknown",
                    fix: "read it without --interface, or rewrite it with tshark -r FILE -w copy.pcapng")
            }
            var uses: [String: Int] = [:]
            for case let name? in declared.map(\.name) { uses[name, default: 0] += 1 }
            sharedNames = Set(uses.filter { $0.value > 1 }.keys)
            if declared.contains(where: { $0.name == value }) {
                match = .pcapngName(value)
            } else if let id = Int(value), declared.contains(where: { $0.id == id }) {
                match = .pcapngID(id)
            } else {
                let listed = Self.listing(declared.map { "\($0.name ?? "(unnamed)") (\($0.id))" })
                throw TraceError(
                    kind: .unsupported, file: path,
                    problem:
                        "no capturing interface \"\(value)\"; the file declares \(listed.isEmpty ? "none" : listed)",
                    fix: "give one of those names, or its number in parentheses")
            }
        } else if linkType == 276 {
            guard let index = UInt32(value) else {
                let present = Self.listing(Self.linuxIndices(in: path).map { "\($0.index) (\($0.packets) packets)" })
                throw TraceError(
                    kind: .unsupported, file: path,
                    problem:
                        "\"\(value)\" is a name, but a tcpdump -i any capture (LINUX_SLL2) records each packet's interface index, not its name; indices in this file: \(present.isEmpty ? "none" : present)",
                    fix:
                        "give an index: `ip -o link` on the capturing node prints it before the name (\"4: cni0: ...\")"
                )
            }
            match = .linuxIndex(index)
        } else {
            throw TraceError(
                kind: .unsupported, file: path,
                problem:
                    "this capture (\(format.rawValue), link type \(PcapCalls.linkTypeName(linkType))) does not record which interface captured each packet",
                fix:
                    "leave out --interface, or capture with dumpcap -i A -i B (pcapng) or tcpdump -i any (LINUX_SLL2 link type)"
            )
        }
    }

    /// Up to 20 items, then how many more: an error line stays readable for any file.
    static func listing(_ items: [String]) -> String {
        let shown = items.prefix(20).joined(separator: ", ")
        return items.count > 20 ? "\(shown) and \(items.count - 20) more" : shown
    }

    /// The interface indices of a LINUX_SLL2 capture's packets, with their counts, in order.
    static func linuxIndices(in path: String) -> [(index: UInt32, packets: Int)] {
        guard let handle = try? PcapCalls.openOffline(path) else { return [] }
        defer { PcapCalls.close(handle) }
        var counts: [UInt32: Int] = [:]
        while case .packet(let header, let data) = PcapCalls.next(handle) {
            guard header.pointee.caplen >= 8 else { continue }
            let bytes = UnsafeRawBufferPointer(start: data, count: 8)
            counts[UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self)), default: 0] += 1
        }
        return counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// A walker over the file's blocks in step with libpcap (pcapng only).
    var walker: PcapngInterfaces? {
        guard case .linuxIndex = match else { return PcapngInterfaces(path: path) }
        return nil
    }

    /// The interface that captured a packet (pcapng: its name, `name#ID` where several share it,
    /// `#ID` where it has none; LINUX_SLL2: its index) and whether it is the chosen one; nil when
    /// the file's blocks do not say.
    func interface(of bytes: UnsafeRawBufferPointer, walker: inout PcapngInterfaces?) -> (String, Bool)? {
        switch match {
        case .linuxIndex(let chosen):
            // LINUX_SLL2: protocol (2), reserved (2), interface index (4), big-endian.
            guard bytes.count >= 8 else { return ("(cut short)", false) }
            let index = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            return (String(index), index == chosen)
        case .pcapngName(let chosen):
            guard let found = walker?.nextPacketInterface() else { return nil }
            return (label(found), found.name == chosen)
        case .pcapngID(let chosen):
            guard let found = walker?.nextPacketInterface() else { return nil }
            return (label(found), found.id == chosen)
        }
    }

    private func label(_ interface: PcapngInterfaces.Interface) -> String {
        guard let name = interface.name else { return "#\(interface.id)" }
        return sharedNames.contains(name) ? "\(name)#\(interface.id)" : name
    }
}
