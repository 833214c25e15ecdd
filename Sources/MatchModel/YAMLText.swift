import Foundation
import Yams

/// Composes YAML text into a node tree, turning every problem the YAML
/// library reports into one located diagnostic.
///
/// libyaml reports some problems (control characters, bad encodings) with a
/// byte offset only, and some (a repeated key) with their place only in the
/// text; both become a line and column here, so no YAML error reaches a
/// person without a place to look.
public enum YAMLText {
    /// A program or what-if file is a page or two; a megabyte is a mistake (or an attack on the parser).
    public static let maximumBytes = 1 << 20

    /// Reads a YAML file as UTF-8 text, or says why it cannot be read (`what`: "program file", …).
    public static func read(path: String, what: String) throws -> String {
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > maximumBytes {
            throw InputError(SourceLocation(file: path), "the \(what) is \(size) bytes; a \(what) may be at most \(maximumBytes) bytes")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(
                SourceLocation(file: path),
                FileManager.default.fileExists(atPath: path)
                    ? "cannot read the \(what)" : "\(what) not found")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(SourceLocation(file: path, line: 1, column: 1), "the \(what) is not valid UTF-8")
        }
        return text
    }
    /// The composed root (nil for an empty document), or the problem.
    public static func compose(_ text: String, file: String) -> Result<Node?, InputError> {
        if let bad = firstControlCharacter(text, file: file) { return .failure(InputError([bad])) }
        do {
            return .success(try Yams.compose(yaml: text))
        } catch let error as YamlError {
            var location = location(of: error, text: text, file: file)
            var problem = problem(of: error)
            if location.line == 0, let m = problem.firstMatch(of: /in line (\d+), column (\d+)/) {
                location = SourceLocation(file: file, line: Int(m.1) ?? 0, column: Int(m.2) ?? 0)
            }
            problem = problem.split(separator: "\n").first.map(String.init) ?? problem
            problem = problem.replacingOccurrences(of: "Parser: ", with: "")
            return .failure(InputError(location, "not valid YAML: \(problem)"))
        } catch {
            return .failure(InputError(SourceLocation(file: file, line: 1, column: 1), "not valid YAML: \(error)"))
        }
    }

    /// YAML allows tab, line feed and carriage return among the C0 controls,
    /// and next-line among the C1; anything else is refused by the reader
    /// with an offset only — found here with its line and column.
    static func firstControlCharacter(_ text: String, file: String) -> Diagnostic? {
        var line = 1, column = 1
        for scalar in text.unicodeScalars {
            let v = scalar.value
            let allowed = v == 0x09 || v == 0x0A || v == 0x0D || v == 0x85
            if !allowed && (v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || v == 0xFFFE || v == 0xFFFF) {
                let hex = String(v, radix: 16, uppercase: true)
                let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                return .error(
                    SourceLocation(file: file, line: line, column: column),
                    "not valid YAML: control character \(code) is not allowed; remove it (files saved by a word processor often carry them)")
            }
            if v == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return nil
    }

    static func location(of error: YamlError, text: String, file: String) -> SourceLocation {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return SourceLocation(file: file, line: mark.line, column: mark.column)
        case .reader(_, let offset?, _, _):
            // A byte offset into the UTF-8 text.
            var line = 1, column = 1
            for (i, byte) in text.utf8.enumerated() {
                if i >= offset { break }
                if byte == 0x0A {
                    line += 1
                    column = 1
                } else if byte & 0xC0 != 0x80 {
                    column += 1
                }
            }
            return SourceLocation(file: file, line: line, column: column)
        default:
            return SourceLocation(file: file)
        }
    }

    static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
            .composer(let context, let problem, _, _):
            if let c = context { return "\(problem) (\(c.text))" }
            return problem
        case .reader(let problem, _, _, _): return problem
        default: return "\(error)"
        }
    }
}
