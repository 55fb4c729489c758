import Foundation
import Testing

@testable import NetLabModel

/// docs/topology.schema.json, which editors use to check topology files, accepts what the reader
/// accepts: every profile field by name, every congestion control, and each pattern's flow keys.
@Suite struct SchemaTests {
    static func schema() throws -> [String: Any] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("docs/topology.schema.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func profileOverridesNameEveryField() throws {
        let definitions = try #require(try Self.schema()["$defs"] as? [String: Any])
        let profile = try #require(definitions["profileObject"] as? [String: Any])
        let overrides = try #require((profile["properties"] as? [String: Any])?["overrides"] as? [String: Any])
        let names = try #require(overrides["properties"] as? [String: Any]).keys
        #expect(Set(names) == Set(CostProfile.Field.allCases.map(\.rawValue)))
    }

    @Test func everyCongestionControlIsAllowed() throws {
        var lists: [[String]] = []
        func collect(_ value: Any) {
            if let object = value as? [String: Any] {
                if let properties = object["properties"] as? [String: Any],
                    let choice = properties["congestion_control"] as? [String: Any],
                    let names = choice["enum"] as? [String]
                {
                    lists.append(names)
                }
                object.values.forEach(collect)
            } else if let array = value as? [Any] {
                array.forEach(collect)
            }
        }
        collect(try Self.schema())
        #expect(lists.count == 2, "a flow's and a profile's")
        for names in lists { #expect(Set(names) == Set(CongestionControl.allCases.map(\.rawValue))) }
    }

    /// Each pattern's keys in the schema are the reader's: a key the reader takes and the schema
    /// lacks makes an editor flag a valid file (a stream's `congestion_control` once did).
    @Test func eachPatternAllowsTheReadersFlowKeys() throws {
        let definitions = try #require(try Self.schema()["$defs"] as? [String: Any])
        let flow = try #require(definitions["flow"] as? [String: Any])
        let properties = try #require(flow["properties"] as? [String: Any])
        let rules = try #require(flow["allOf"] as? [[String: Any]])
        var seen: Set<String> = []
        for rule in rules {
            let condition = try #require((rule["if"] as? [String: Any])?["properties"] as? [String: Any])
            let pattern = try #require((condition["pattern"] as? [String: Any])?["const"] as? String)
            let names = try #require(
                ((rule["then"] as? [String: Any])?["propertyNames"] as? [String: Any])?["enum"] as? [String])
            let keys = try #require(TopologyReader.flowKeys[pattern], "the reader has no pattern \(pattern)")
            #expect(Set(names) == Set(keys), "\(pattern)")
            #expect(Set(keys).isSubset(of: Set(properties.keys)), "\(pattern): a key without a description")
            seen.insert(pattern)
        }
        #expect(seen == Set(TopologyReader.flowKeys.keys))
    }
}
