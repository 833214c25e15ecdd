/// Where in an input file something was found.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based; 0 when the problem concerns the whole file.
    public var line: Int
    /// 1-based; 0 when the problem concerns a whole line.
    public var column: Int

    public init(file: String, line: Int = 0, column: Int = 0) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        if line == 0 { return file }
        if column == 0 { return "\(file):\(line)" }
        return "\(file):\(line):\(column)"
    }
}

/// One problem found in the input, located and worded for the person fixing it.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    public var severity: Severity
    public var location: SourceLocation
    public var message: String

    public init(_ severity: Severity, _ location: SourceLocation, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = Diagnostic.printable(message)
    }

    /// Messages quote what the input holds, and the input may be hostile: control
    /// characters (a terminal's escape sequences among them) are shown as `\u{…}`,
    /// and a message is cut at `maximumLength` characters (a 3 MB cell quoted whole
    /// would bury every other line).
    static func printable(_ text: String) -> String {
        let maximumLength = 1_000
        let clean = text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F && !(0x80...0x9F).contains($0.value) || $0 == "\n" }
        var out = text
        if !clean {
            out = ""
            for c in text.unicodeScalars {
                let v = c.value
                if c != "\n" && (v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v)) {
                    out += "\\u{" + String(v, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        if out.count > maximumLength { out = String(out.prefix(maximumLength)) + "… (cut)" }
        return out
    }

    public static func error(_ location: SourceLocation, _ message: String) -> Diagnostic {
        Diagnostic(.error, location, message)
    }

    public static func warning(_ location: SourceLocation, _ message: String) -> Diagnostic {
        Diagnostic(.warning, location, message)
    }

    /// `file:line:column: error: message`, the form editors and CI logs link.
    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}

/// Collects every problem instead of stopping at the first.
public struct Diagnostics: Sendable {
    public private(set) var items: [Diagnostic] = []

    public init() {}

    public mutating func error(_ location: SourceLocation, _ message: String) {
        items.append(.error(location, message))
    }

    public mutating func warning(_ location: SourceLocation, _ message: String) {
        items.append(.warning(location, message))
    }

    public mutating func append(contentsOf other: Diagnostics) { items.append(contentsOf: other.items) }

    public mutating func append(contentsOf other: [Diagnostic]) { items.append(contentsOf: other) }

    public var errors: [Diagnostic] { items.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { items.filter { $0.severity == .warning } }
    public var hasErrors: Bool { items.contains { $0.severity == .error } }
}

/// Thrown when the input has at least one error; carries every problem found.
public struct InputError: Error, CustomStringConvertible, Sendable {
    public let diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    public init(_ location: SourceLocation, _ message: String) {
        diagnostics = [.error(location, message)]
    }

    public var description: String {
        let errors = diagnostics.filter { $0.severity == .error }
        return errors.map(\.description).joined(separator: "\n")
    }
}
