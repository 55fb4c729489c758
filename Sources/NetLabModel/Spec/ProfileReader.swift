/// Resolves the cost profile for a run: a built-in name, or a profile file
/// (`{"base": "linux-default", "overrides": {"wakeup": "30us"}}`).
public enum ProfileReader {
    /// The built-in profile `name` with `overrides` applied, or nil if there is no such profile.
    public static func builtIn(_ name: String, overrides: [String: Double] = [:]) -> CostProfile? {
        CostProfile.builtIn[name].map { $0.applying(overrides) }
    }

    /// Reads a profile file.
    /// - Throws: ``SpecError`` naming the file, the place and the fix.
    public static func read(_ text: String, file: String) throws(SpecError) -> CostProfile {
        let reader = SpecReader(file: file)
        let root = try reader.parse(text)
        let (base, overrides) = try reader.profile(root)
        guard let profile = builtIn(base, overrides: overrides) else {
            throw SpecError(file: file, line: root.line, column: root.column, path: "base", problem: "unknown base profile \"\(base)\"",
                            fix: "use one of \(CostProfile.builtIn.keys.sorted().joined(separator: ", "))")
        }
        return profile
    }
}
