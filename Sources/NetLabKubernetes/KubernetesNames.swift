import NetLabCore

/// Names the API server accepts, made from topology names (which may hold anything a user typed:
/// capitals, punctuation, digits first, other scripts, hundreds of characters). Each rule is the
/// API server's own: object and container names are DNS-1035 labels here (lower-case ASCII
/// letters, digits and '-', a letter first, an alphanumeric last, at most 63 characters; a
/// Service needs exactly that, and a Deployment named like its Service keeps the pair
/// readable); environment variable names are C identifiers.
public enum KubernetesNames {
    /// Longest label the API server accepts.
    public static let labelLength = 63

    /// `text` as a DNS-1035 label: other characters become '-', a name that starts with a digit
    /// gets `n-` before it, and a name too long is cut and ends in a short hash of the original
    /// (see ``uniqueLabels(_:)`` for names that come out the same). `maxLength` leaves room
    /// for suffixes the caller adds (`-merge`).
    public static func label(_ text: String, maxLength: Int = labelLength) -> String {
        var name = ""
        var lastWasDash = true
        for scalar in text.lowercased().unicodeScalars {
            let keeps = scalar.isASCII && (("a"..."z").contains(scalar) || ("0"..."9").contains(scalar))
            if keeps {
                name.unicodeScalars.append(scalar)
                lastWasDash = false
            } else if !lastWasDash {
                name += "-"
                lastWasDash = true
            }
        }
        if name.first.map({ !$0.isLetter }) ?? true { name = "n-" + name }
        name = name.trimmingDashes()
        if name.count > maxLength { name = String(name.prefix(maxLength - 9)).trimmingDashes() + "-" + shortHash(text) }
        return name
    }

    /// Labels for `texts`, in order, unique: a label already taken gets the original's short
    /// hash (and, should that be taken too, a counter).
    static func uniqueLabels(_ texts: [String]) -> [String] {
        var taken: Set<String> = []
        return texts.map { text in
            var name = label(text)
            if taken.contains(name) {
                let base = String(name.prefix(labelLength - 9)).trimmingDashes()
                name = base + "-" + shortHash(text)
                var counter = 2
                while taken.contains(name) {
                    let suffix = "-\(counter)"
                    name =
                        String(base.prefix(labelLength - 9 - suffix.count)).trimmingDashes() + suffix
                        + "-" + shortHash(text)
                    counter += 1
                }
            }
            taken.insert(name)
            return name
        }
    }

    /// `text` as an environment variable name: upper-case ASCII letters, digits and '_', not a
    /// digit first.
    static func environmentVariable(_ text: String) -> String {
        var name = String(
            text.uppercased().unicodeScalars.map { scalar in
                scalar.isASCII && (("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar))
                    ? Character(scalar) : "_"
            })
        if name.first.map({ $0.isNumber }) ?? true { name = "_" + name }
        return name
    }

    /// Eight hexadecimal digits of `text`'s stable hash: the same on every run and platform.
    static func shortHash(_ text: String) -> String {
        let digits = String(StableHash.of(text) >> 32, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// Whether `name` is a DNS-1035 label (the API server's rule, as a check).
    static func isLabel(_ name: String) -> Bool {
        guard (1...labelLength).contains(name.count), let first = name.unicodeScalars.first,
            let last = name.unicodeScalars.last, ("a"..."z").contains(first),
            ("a"..."z").contains(last) || ("0"..."9").contains(last)
        else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}

extension String {
    fileprivate func trimmingDashes() -> String {
        var text = self
        while text.hasSuffix("-") { text.removeLast() }
        return text
    }
}
