extension String {
    /// The text with control characters (newline, NUL, escape …) and the bidirectional controls
    /// that reorder what a terminal shows (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F) written
    /// as `\u{…}` escapes: a name from a file then prints as what it is, and a one-line message
    /// stays one line that reads as written.
    public var escapingControlCharacters: String {
        guard unicodeScalars.contains(where: \.needsEscaping) else { return self }
        var text = ""
        for scalar in unicodeScalars {
            if scalar.needsEscaping {
                text += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        return text
    }
}

extension Unicode.Scalar {
    fileprivate var needsEscaping: Bool {
        switch value {
        case 0x00...0x1F, 0x7F...0x9F, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
