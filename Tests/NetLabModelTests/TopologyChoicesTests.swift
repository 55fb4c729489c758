import NetLabCore
import Testing

@testable import NetLabModel

/// What commands ask of a topology by name and by length: the groupings to run and the run length.
@Suite struct TopologyChoicesTests {
    @Test func groupingsAreChosenByNameInOrderOnce() throws {
        let text = TopologyErrorTests.valid.replacingOccurrences(
            of: #"{ "name": "g", "pods""#,
            with:
                #"{ "name": "h", "pods": [ { "containers": ["web", "log", "cache"], "node": "a" } ] }, { "name": "g", "pods""#
        )
        let topology = try TopologyReader.read(text, file: "two.json")
        #expect(try topology.groupingIndices(named: []) == [0, 1])
        #expect(try topology.groupingIndices(named: ["g", "h", "g"]) == [1, 0])
        #expect(throws: UnknownGrouping.self) { try topology.groupingIndices(named: ["x"]) }
        do {
            _ = try topology.groupingIndices(named: ["x"])
        } catch {
            #expect(error.name == "x" && error.choices == ["h", "g"])
        }
    }

    @Test func aRunIsLongerThanItsWarmupAndAtMostThirtyDays() throws {
        let topology = try TopologyReader.read(TopologyErrorTests.valid, file: "ok.json")
        #expect(topology.runLengthProblem(.seconds(2)) == nil)
        #expect(topology.runLengthProblem(topology.warmup)?.problem.contains("not longer than the warm-up") == true)
        #expect(topology.runLengthProblem(.seconds(31 * 86_400))?.fix == "give at most 30 days")
    }
}
