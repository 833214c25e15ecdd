import Foundation

/// A CSV file read per RFC 4180, each field with its line and column.
///
/// UTF-8 (a leading BOM is dropped), `,` separated, `"` quoted with `""` for
/// a quote, CRLF or LF line ends; quoted fields may span lines. Cells are
/// trimmed. Blank lines are skipped.
public struct CSVTable: Sendable {
    public struct Field: Sendable {
        public var value: String
        public var line: Int
        public var column: Int
    }

    public struct Record: Sendable {
        public var fields: [Field]
        /// Line where the record starts.
        public var line: Int
    }

    public let file: String
    public let header: [Field]
    public let records: [Record]

    /// The largest file read: far above any organisation's roster (125 k people
    /// take about 30 MB), far below what would exhaust memory.
    public static let maximumFileBytes = 1 << 30
    /// The longest cell, in characters: a name, a skill list or an attribute list
    /// is a few hundred at most; longer is a broken export.
    public static let maximumCellCharacters = 10_000

    /// Parses CSV text. Throws ``InputError`` on a malformed quote or invalid UTF-8.
    public init(file: String, data: Data) throws {
        self.file = file
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if String(validating: bytes, as: UTF8.self) == nil {
            let (line, column) = CSVTable.firstInvalidUTF8(bytes)
            throw InputError(
                SourceLocation(file: file, line: line, column: column),
                "the file is not valid UTF-8; save it as UTF-8 CSV")
        }
        var rows = try CSVTable.parse(bytes, file: file)
        rows.removeAll { $0.fields.count == 1 && $0.fields[0].value.isEmpty }
        guard let first = rows.first else {
            throw InputError(
                SourceLocation(file: file, line: 1, column: 1),
                "the file is empty; expected a header row")
        }
        header = first.fields
        records = Array(rows.dropFirst())
    }

    /// One field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line
    /// break, or starts or ends with spaces (which the reader trims); plain otherwise.
    public static func field(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || s != s.trimmingCharacters(in: .whitespaces) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    /// Reads and parses a file; a missing or unreadable file is an ``InputError``
    /// located at `reference` (where the file was named).
    public static func load(path: String, displayName: String, reference: SourceLocation?) throws -> CSVTable {
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > maximumFileBytes {
            throw InputError(
                reference ?? SourceLocation(file: displayName),
                "\(displayName) is \(size / (1 << 20)) MiB; MentorMatch reads files up to \(maximumFileBytes >> 20) MiB")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw InputError(
                reference ?? SourceLocation(file: displayName),
                exists ? "cannot read \(displayName)" : "file not found: \(displayName)")
        }
        return try CSVTable(file: displayName, data: data)
    }

    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> (Int, Int) {
        var line = 1, lineStart = 0, i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length: Int
            switch b {
            case 0..<0x80: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return (line, i - lineStart + 1)
            }
            if i + length > bytes.count { return (line, i - lineStart + 1) }
            if String(validating: bytes[i..<(i + length)], as: UTF8.self) == nil { return (line, i - lineStart + 1) }
            if b == 0x0A {
                line += 1
                lineStart = i + 1
            }
            i += length
        }
        return (line, 1)
    }

    private static func parse(_ bytes: [UInt8], file: String) throws -> [Record] {
        var records: [Record] = []
        var fields: [Field] = []
        var field: [UInt8] = []
        var line = 1
        var lineStart = 0
        var fieldLine = 1, fieldColumn = 1, recordLine = 1
        var quoted = false, inQuotes = false, afterQuote = false
        var quoteLine = 0, quoteColumn = 0
        var i = 0

        // Columns count characters, not bytes; counted on from the last field
        // of the line (fields start after an ASCII comma), not from its start.
        var countedTo = 0, counted = 0
        func column(_ index: Int) -> Int {
            if countedTo < lineStart || countedTo > index {
                countedTo = lineStart
                counted = 0
            }
            let segment = bytes[countedTo..<index]
            counted += segment.allSatisfy({ $0 < 0x80 }) ? segment.count : String(decoding: segment, as: UTF8.self).count
            countedTo = index
            return counted + 1
        }
        var tooLong: SourceLocation?
        func finishField() {
            if field.count > maximumCellCharacters, tooLong == nil,
                String(decoding: field, as: UTF8.self).count > maximumCellCharacters
            {
                tooLong = SourceLocation(file: file, line: fieldLine, column: fieldColumn)
            }
            let text = String(decoding: field, as: UTF8.self).trimmedWhitespace
            fields.append(Field(value: text, line: fieldLine, column: fieldColumn))
            field.removeAll(keepingCapacity: true)
            quoted = false
            afterQuote = false
        }

        fieldColumn = 1
        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(b)
                        i += 2
                        continue
                    }
                    inQuotes = false
                    afterQuote = true
                    i += 1
                    continue
                }
                if b == 0x0A {
                    line += 1
                    lineStart = i + 1
                }
                field.append(b)
                i += 1
                continue
            }
            switch b {
            case UInt8(ascii: ","):
                finishField()
                i += 1
                fieldLine = line
                fieldColumn = column(i)
            case 0x0D where i + 1 < bytes.count && bytes[i + 1] == 0x0A:
                i += 1
            case 0x0A, 0x0D:
                finishField()
                records.append(Record(fields: fields, line: recordLine))
                fields.removeAll()
                i += 1
                line += 1
                lineStart = i
                fieldLine = line
                fieldColumn = 1
                recordLine = line
            case UInt8(ascii: "\""):
                if afterQuote || !field.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                    throw InputError(
                        SourceLocation(file: file, line: line, column: column(i)),
                        "unexpected '\"' inside an unquoted field; quote the whole field and double inner quotes (\"\")")
                }
                field.removeAll()
                quoted = true
                inQuotes = true
                quoteLine = line
                quoteColumn = column(i)
                i += 1
            default:
                if afterQuote && b != 0x20 && b != 0x09 {
                    throw InputError(
                        SourceLocation(file: file, line: line, column: column(i)),
                        "unexpected text after a closing quote; expected ',' or the end of the line")
                }
                if !afterQuote { field.append(b) }
                i += 1
            }
        }
        if inQuotes {
            throw InputError(
                SourceLocation(file: file, line: quoteLine, column: quoteColumn),
                "this quoted field is never closed; expected a matching '\"'")
        }
        if !fields.isEmpty || !field.isEmpty || quoted {
            finishField()
            records.append(Record(fields: fields, line: recordLine))
        }
        if let tooLong {
            throw InputError(
                tooLong,
                "this cell holds more than \(maximumCellCharacters) characters; check the export (a missing closing quote joins many cells into one)")
        }
        return records
    }
}
