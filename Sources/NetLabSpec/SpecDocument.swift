/// Every file netlab reads by hand-written rules (topologies, profiles, replay maps, traffic
/// files) starts here: JSON, or YAML for files named `.yaml`/`.yml`, into one located tree, so
/// that each format gets the same checks and errors that name the same places.
public enum SpecDocument {
    /// The located tree of `text`, read from `file` (whose name picks JSON or YAML).
    /// - Throws: ``SpecError`` at the first malformed character.
    public static func parse(_ text: String, file: String) throws(SpecError) -> JSONNode {
        try SpecReader(file: file).parse(text)
    }
}
