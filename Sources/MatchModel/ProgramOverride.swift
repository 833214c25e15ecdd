import Yams

/// A change to one program key, from `--set KEY=VALUE` or a what-if file:
/// `rules.max_timezone_gap_hours=9`, `equity.location_reach=null`,
/// `rules.capacity_by_level={7: 3, 9: 4}`. Values are YAML; the key is a
/// dotted path into program.yaml and is checked like the file itself
/// (unknown keys get a did-you-mean, wrong types a sentence).
public struct ProgramOverride: @unchecked Sendable, CustomStringConvertible {
    public let keyPath: [String]
    /// Where the override was written (`--set …` or `whatif.yaml`).
    public let source: String
    let value: Node

    /// Parses `KEY=VALUE`.
    public init(parsing text: String) throws {
        guard let eq = text.firstIndex(of: "=") else {
            throw InputError(SourceLocation(file: "--set \(text)"), "write KEY=VALUE, e.g. rules.max_timezone_gap_hours=9")
        }
        let key = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
        let raw = String(text[text.index(after: eq)...])
        let path = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !key.isEmpty, path.allSatisfy({ !$0.isEmpty }) else {
            throw InputError(SourceLocation(file: "--set \(text)"), "'\(key)' is not a key path; write e.g. rules.shared_language=false")
        }
        let node: Node
        do {
            node = try Yams.compose(yaml: raw) ?? Node("null", .implicit, .plain)
        } catch {
            throw InputError(SourceLocation(file: "--set \(text)"), "the value is not valid YAML: \(raw)")
        }
        self.init(keyPath: path, value: node, source: "--set \(text)")
    }

    init(keyPath: [String], value: Node, source: String) {
        self.keyPath = keyPath
        self.value = value
        self.source = source
    }

    /// An override from a parsed YAML node (what-if files).
    public static func from(dottedKey: String, value: Node, source: String) -> ProgramOverride {
        ProgramOverride(keyPath: dottedKey.split(separator: ".").map(String.init), value: value, source: source)
    }

    /// The override as a one-key YAML document, nested along the path.
    var document: Node {
        var node = value
        for key in keyPath.reversed() {
            node = .mapping(Node.Mapping([(Node(key), node)]))
        }
        return node
    }

    public var description: String { keyPath.joined(separator: ".") }

    /// The override as a person reads it: `rules.max_timezone_gap_hours=9`.
    public var display: String {
        let text: String
        if case .scalar(let s) = value {
            text = s.string.isEmpty ? "null" : s.string
        } else {
            text = ((try? Yams.serialize(node: value)) ?? "…").split(separator: "\n").joined(separator: " ")
        }
        return description + "=" + text
    }
}

extension ProgramFile {
    /// Applies overrides in order, collecting every problem.
    public mutating func apply(_ overrides: [ProgramOverride], diagnostics d: inout Diagnostics) {
        for o in overrides { apply(o.document, file: o.source, diagnostics: &d) }
        if !overrides.isEmpty { checkTiers(&d) }
    }
}
