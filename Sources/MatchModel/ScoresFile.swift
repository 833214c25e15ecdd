import Foundation

/// Reads the external scores file (SPEC 9.6): `mentor_id,mentee_id,score`. Such files can
/// hold millions of rows (a score for a tenth of 100 million pairs), so a plain file — no
/// quotes, `\n` or `\r\n` line ends — is read line by line straight into ``PairScores``;
/// any other goes through ``CSVTable`` like the other side files. Both apply the same rules
/// with the same messages.
public enum ScoresFile {
    public static let columns = ["mentor_id", "mentee_id", "score"]

    /// The rules of one row, shared by both ways of reading.
    struct Reader {
        let file: String
        let knownIDs: Set<String>
        var scores = PairScores()
        /// Rows that repeat a pair: the pair and the row's line.
        var repeats: [(PairKey, Int)] = []

        init(file: String, knownIDs: Set<String>) {
            self.file = file
            self.knownIDs = knownIDs
        }

        /// Takes one row; returns whether its score was kept.
        mutating func take(
            mentor: String, at mentorAt: SourceLocation, mentee: String, at menteeAt: SourceLocation,
            score text: String, at scoreAt: SourceLocation, line: Int, _ d: inout Diagnostics
        ) -> Bool {
            guard let score = Double(text), score.isFinite, (0...1).contains(score) else {
                d.error(scoreAt, "score must be a number from 0 to 1, not '\(text)'")
                return false
            }
            var unknown = false
            for (id, at) in [(mentor, mentorAt), (mentee, menteeAt)] where !knownIDs.contains(id) {
                d.warning(at, "'\(id)' is not in the roster; this score is ignored")
                unknown = true
            }
            if unknown { return false }
            let key = PairKey(mentorID: mentor, menteeID: mentee)
            if !scores.insertFirst(key, score) {
                repeats.append((key, line))
                return false
            }
            return true
        }

        func reportRepeats(firstLine: (PairKey) -> Int?, _ d: inout Diagnostics) {
            for (key, line) in repeats {
                d.warning(
                    SourceLocation(file: file, line: line),
                    "repeated score for \(key.mentorID) → \(key.menteeID); line \(firstLine(key).map(String.init) ?? "before") is kept")
            }
        }
    }

    /// Reads the scores file at `path` (shown as `display`, named at `reference`).
    public static func read(
        path: String, display: String, reference: SourceLocation, knownIDs: Set<String>, diagnostics d: inout Diagnostics
    ) throws -> PairScores {
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > CSVTable.maximumFileBytes {
            throw InputError(
                reference, "\(display) is \(size / (1 << 20)) MiB; MentorMatch reads files up to \(CSVTable.maximumFileBytes >> 20) MiB")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(reference, FileManager.default.fileExists(atPath: path) ? "cannot read \(display)" : "file not found: \(display)")
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let plain = !bytes.contains(UInt8(ascii: "\"")) && String(validating: bytes, as: UTF8.self) != nil
        guard plain, let scores = plainScores(bytes, file: display, knownIDs: knownIDs, &d) else {
            return SideFiles.scores(from: try CSVTable(file: display, data: data), knownIDs: knownIDs, diagnostics: &d)
        }
        return scores
    }

    /// The lines of a plain file: (line number, byte range without the line end); nil on a lone `\r`.
    private static func lines(_ bytes: [UInt8]) -> [(Int, Range<Int>)]? {
        var out: [(Int, Range<Int>)] = []
        var start = 0, line = 1
        for i in bytes.indices where bytes[i] == 0x0A || bytes[i] == 0x0D {
            if bytes[i] == 0x0D {
                guard i + 1 < bytes.count, bytes[i + 1] == 0x0A else { return nil }
                continue
            }
            let end = i > start && bytes[i - 1] == 0x0D ? i - 1 : i
            out.append((line, start..<end))
            start = i + 1
            line += 1
        }
        if start < bytes.count { out.append((line, start..<bytes.count)) }
        return out
    }

    /// A plain file read line by line; nil when it is not plain after all (the table then reads it).
    private static func plainScores(_ bytes: [UInt8], file: String, knownIDs: Set<String>, _ d: inout Diagnostics) -> PairScores? {
        guard let all = lines(bytes) else { return nil }
        let rows = all.filter { !bytes[$0.1].allSatisfy { $0 == 0x20 || $0 == 0x09 } }
        guard let header = rows.first else { return nil }
        // The header goes through the table's checks (missing, repeated, unknown columns).
        guard let headerTable = try? CSVTable(file: file, data: Data(bytes[header.1])),
            let col = RosterFile.columnIndex(headerTable, known: columns, required: columns, warnUnknown: true, &d)
        else { return PairScores() }
        let width = headerTable.header.count
        let mi = col["mentor_id"]!, ei = col["mentee_id"]!, si = col["score"]!
        var reader = Reader(file: file, knownIDs: knownIDs)
        reader.scores.reserveCapacity(rows.count)
        func fields(_ r: Range<Int>) -> [(text: String, column: Int)] {
            var out: [(String, Int)] = []
            var from = r.lowerBound
            for i in r where bytes[i] == UInt8(ascii: ",") {
                out.append((String(decoding: bytes[from..<i], as: UTF8.self).trimmedWhitespace, from))
                from = i + 1
            }
            out.append((String(decoding: bytes[from..<r.upperBound], as: UTF8.self).trimmedWhitespace, from))
            // Columns count characters from the line's start (bytes, on an ASCII line).
            let ascii = bytes[r].allSatisfy { $0 < 0x80 }
            return out.map { ($0.0, ascii ? $0.1 - r.lowerBound + 1 : String(decoding: bytes[r.lowerBound..<$0.1], as: UTF8.self).count + 1) }
        }
        let expected = headerTable.header.map(\.value).joined(separator: ",")
        for (line, range) in rows.dropFirst() {
            let f = fields(range)
            guard f.count == width else {
                d.error(
                    SourceLocation(file: file, line: line),
                    "this row has \(f.count) field\(f.count == 1 ? "" : "s"), expected \(width) (\(expected))")
                continue
            }
            var complete = true
            for (name, i) in [("mentor_id", mi), ("mentee_id", ei), ("score", si)] where f[i].text.isEmpty {
                d.error(SourceLocation(file: file, line: line, column: f[i].column), "\(name) is empty")
                complete = false
            }
            guard complete else { continue }
            _ = reader.take(
                mentor: f[mi].text, at: SourceLocation(file: file, line: line, column: f[mi].column),
                mentee: f[ei].text, at: SourceLocation(file: file, line: line, column: f[ei].column),
                score: f[si].text, at: SourceLocation(file: file, line: line, column: f[si].column), line: line, &d)
        }
        if !reader.repeats.isEmpty {
            // The line each repeated pair was first given on: a second pass, only when there are repeats.
            var wanted = Set(reader.repeats.map(\.0)), first: [PairKey: Int] = [:]
            for (line, range) in rows.dropFirst() where !wanted.isEmpty {
                let f = fields(range)
                guard f.count == width else { continue }
                let key = PairKey(mentorID: f[mi].text, menteeID: f[ei].text)
                if wanted.remove(key) != nil { first[key] = line }
            }
            reader.reportRepeats(firstLine: { first[$0] }, &d)
        }
        return reader.scores
    }
}
