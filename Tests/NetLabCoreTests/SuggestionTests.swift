import NetLabCore
import Testing

/// The one "did you mean": near names suggested, far ones not (a suggestion of an unrelated name
/// misleads more than none).
@Suite struct SuggestionTests {
    @Test func nearNamesAreSuggestedAndFarOnesAreNot() {
        let names = ["frontend", "backend", "cache"]
        #expect(nearest(to: "frontnd", among: names) == "frontend")
        #expect(nearest(to: "cahce", among: names) == "cache")
        #expect(nearest(to: "database", among: names) == nil)
        #expect(nearest(to: "x", among: []) == nil)
        #expect(didYouMean("backnd", among: names) == #"did you mean "backend"? "#)
        #expect(didYouMean("zzzzzzzz", among: names).isEmpty)
        // Of equally near names, the first.
        #expect(nearest(to: "ab", among: ["aa", "bb"]) == "aa")
        #expect(editDistance("kitten", "sitting") == 3)
        #expect(editDistance("", "abc") == 3 && editDistance("abc", "abc") == 0)
    }
}
