/// "Did you mean" hints: the one way every reader and command suggests a name for a typo.

/// The option nearest to `word` by edit distance, when it is within `limit` edits (a typo, not
/// another word); of equally near options, the first.
public func nearest(to word: String, among options: [String], limit: Int = 3) -> String? {
    var best: (option: String, distance: Int)?
    for option in options {
        let distance = editDistance(option, word)
        if distance <= limit, distance < (best?.distance ?? .max) { best = (option, distance) }
    }
    return best?.option
}

/// `did you mean "x"? ` for the option nearest to `word`, or nothing when none is near: the
/// start of a fix that goes on to list the options.
public func didYouMean(_ word: String, among options: [String]) -> String {
    nearest(to: word, among: options).map { "did you mean \"\($0)\"? " } ?? ""
}

/// Levenshtein distance, for "did you mean" hints.
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    var current = previous
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
