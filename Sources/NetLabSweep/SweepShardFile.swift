import NetLabCore
import NetLabModel
import NetLabSpec

/// The file a shard writes (`netlab sweep --shard I/N --output F`) and `netlab merge` reads:
/// JSON lines, a header naming the sweep and the shard, one line per record, and an end line
/// with the record count, so that a truncated file is caught.
public enum SweepShardFile {
    /// A shard file read back: its index, the shard count and its records.
    public struct Shard: Sendable {
        public var index: Int
        public var count: Int
        public var result: SweepResult
    }

    /// The text of shard `shard` of `shards`: header, one line per record of `result`, end line
    /// with the count (`jobs`, the whole sweep's job count, goes in the header).
    public static func render(_ result: SweepResult, shard: Int, of shards: Int, jobs: Int) -> String {
        let axes = result.axes.map { axis in
            JSONValue.object([("path", .string(axis.path)), ("values", .array(axis.values.map { .string($0) }))])
        }
        let header = JSONValue.object([
            ("netlab_sweep_shard", .integer(1)), ("identity", .string(result.identity)),
            ("shard", .integer(Int64(shard))), ("shards", .integer(Int64(shards))), ("jobs", .integer(Int64(jobs))),
            ("replications", .integer(Int64(result.replications))), ("topology", .string(result.topology)),
            ("axes", .array(axes)),
        ])
        var text = ""
        header.write(to: &text, indent: nil)
        text += "\n"
        for record in result.records {
            let line = JSONValue.object([
                ("job", .integer(Int64(record.job))), ("grouping", .string(record.grouping)),
                ("flow", .string(record.flow)), ("values", .array(record.values.map { .number($0) })),
            ])
            line.write(to: &text, indent: nil)
            text += "\n"
        }
        JSONValue.object([("end", .bool(true)), ("records", .integer(Int64(result.records.count)))])
            .write(to: &text, indent: nil)
        text += "\n"
        return text
    }

    /// Reads a shard file, or says which line of it is wrong.
    public static func read(_ text: String, file: String) throws(SweepError) -> Shard {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        func fail(_ line: Int, _ problem: String) -> SweepError {
            SweepError("\(file):\(line)", problem, fix: "give the files `netlab sweep --shard I/N --output FILE` wrote")
        }
        func object(_ index: Int) throws(SweepError) -> [(key: String, value: JSONNode)] {
            guard let node = try? JSONParser.parse(String(lines[index])), case .object(let members) = node.value else {
                throw fail(index + 1, "not a JSON object")
            }
            return members
        }
        guard !lines.isEmpty else { throw fail(1, "empty file") }
        let header = try object(0)
        func field(_ members: [(key: String, value: JSONNode)], _ key: String) -> JSONNode.Value? {
            members.first { $0.key == key }?.value.value
        }
        func integer(_ members: [(key: String, value: JSONNode)], _ key: String, line: Int) throws(SweepError) -> Int {
            guard case .number(let text)? = field(members, key), let value = Int(text) else {
                throw fail(line, "no integer \"\(key)\"")
            }
            return value
        }
        func string(_ value: JSONNode.Value?, line: Int, _ what: String) throws(SweepError) -> String {
            guard case .string(let text)? = value else { throw fail(line, "no \(what)") }
            return text
        }
        guard case .number("1")? = field(header, "netlab_sweep_shard") else {
            throw fail(1, "not a netlab sweep shard (no \"netlab_sweep_shard\": 1 header)")
        }
        let index = try integer(header, "shard", line: 1), count = try integer(header, "shards", line: 1)
        let replications = try integer(header, "replications", line: 1)
        let jobs = try integer(header, "jobs", line: 1)
        guard count >= 1, count <= 100_000, (0..<count).contains(index), (1...1000).contains(replications),
            (0...10_000_000).contains(jobs)
        else {
            throw fail(1, "shard \(index)/\(count) of \(jobs) jobs × \(replications) replications is impossible")
        }
        var axes: [SweepResult.Axis] = []
        guard case .array(let axisNodes)? = field(header, "axes") else { throw fail(1, "no \"axes\"") }
        for node in axisNodes {
            guard case .object(let members) = node.value, case .array(let values)? = field(members, "values"),
                !values.isEmpty
            else {
                throw fail(1, "an axis without values")
            }
            var texts: [String] = []
            for value in values { texts.append(try string(value.value, line: 1, "axis value")) }
            axes.append(SweepResult.Axis(path: try string(field(members, "path"), line: 1, "axis path"), values: texts))
        }
        var records: [SweepRecord] = []
        var ended = false
        for line in 1..<lines.count {
            let members = try object(line)
            if case .bool(true)? = field(members, "end") {
                guard try integer(members, "records", line: line + 1) == records.count, line == lines.count - 1 else {
                    throw fail(line + 1, "the end line does not match the records before it")
                }
                ended = true
                break
            }
            guard case .array(let valueNodes)? = field(members, "values"), valueNodes.count == SweepRecord.metrics.count
            else { throw fail(line + 1, "a record without its \(SweepRecord.metrics.count) values") }
            var values: [Double] = []
            for node in valueNodes {
                guard case .number(let text) = node.value, let value = Double(text) else {
                    throw fail(line + 1, "a value that is not a number")
                }
                guard value.isFinite, abs(value) < 1e18 else {
                    throw fail(line + 1, "a value (\(text)) no run writes (at most 1e18 in size)")
                }
                values.append(value)
            }
            let job = try integer(members, "job", line: line + 1)
            guard job >= 0, job < jobs, job % count == index else {
                throw fail(line + 1, "job \(job) does not belong to shard \(index)/\(count) of \(jobs) jobs")
            }
            records.append(
                SweepRecord(
                    job: job,
                    grouping: try string(field(members, "grouping"), line: line + 1, "grouping"),
                    flow: try string(field(members, "flow"), line: line + 1, "flow"), values: values))
        }
        guard ended else {
            throw SweepError(file, "truncated: no end line after \(records.count) records", fix: "run the shard again")
        }
        let result = SweepResult(
            topology: try string(field(header, "topology"), line: 1, "topology"),
            identity: try string(field(header, "identity"), line: 1, "identity"), axes: axes,
            replications: replications, records: records)
        return Shard(index: index, count: count, result: result)
    }

    /// The shards, checked to come from one sweep, each index once and none missing, combined
    /// into the result the whole sweep would have given.
    public static func merge(_ shards: [(file: String, shard: Shard)]) throws(SweepError) -> SweepResult {
        guard let first = shards.first else {
            throw SweepError("netlab merge", "no shard files", fix: "give the files the shards wrote")
        }
        for (file, shard) in shards.dropFirst() {
            if shard.result.identity != first.shard.result.identity {
                throw SweepError(
                    file,
                    "comes from a different sweep than \(first.file) (identity \(shard.result.identity) vs \(first.shard.result.identity): another topology, --set, --replications, --seed or --profile)",
                    fix: "merge only the shards of one sweep")
            }
            if shard.count != first.shard.count {
                throw SweepError(
                    file, "is shard \(shard.index)/\(shard.count), but \(first.file) is of \(first.shard.count)",
                    fix: "merge the shards of one --shard N")
            }
        }
        var byIndex: [Int: String] = [:]
        for (file, shard) in shards {
            if let other = byIndex[shard.index] {
                throw SweepError(
                    file, "shard \(shard.index)/\(shard.count) is given twice (also \(other))",
                    fix: "give each shard once")
            }
            byIndex[shard.index] = file
        }
        let missingCount = first.shard.count - byIndex.count
        guard missingCount == 0 else {
            let shown = (0..<first.shard.count).lazy.filter { byIndex[$0] == nil }.prefix(20)
                .map { "\($0)/\(first.shard.count)" }
            throw SweepError(
                "netlab merge",
                "\(missingCount) shard(s) missing: \(shown.joined(separator: ", "))\(missingCount > 20 ? ", …" : "")",
                fix: "run them and give their files too")
        }
        var records = shards.flatMap { $0.shard.result.records }
        records = records.enumerated().sorted { ($0.element.job, $0.offset) < ($1.element.job, $1.offset) }.map(
            \.element)
        var merged = first.shard.result
        merged.records = records
        return merged
    }
}
