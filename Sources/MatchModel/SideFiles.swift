/// Reads the optional side files (SPEC 1.2): preferences, exclusions,
/// history and the org chart. Ids found nowhere are warnings; malformed rows
/// are errors with their line.
public enum SideFiles {
    /// Ranks past 5 add no points (SPEC 3); larger ones are still ordered, up to this.
    public static let maximumRank = 100_000
    private struct Row {
        let values: [String: CSVTable.Field]
        let line: Int
    }

    private static func rows(_ table: CSVTable, columns: [String], required: [String], _ d: inout Diagnostics) -> [Row] {
        guard let col = RosterFile.columnIndex(table, known: columns, required: required, warnUnknown: true, &d) else { return [] }
        var out: [Row] = []
        for record in table.records {
            if record.fields.count < table.header.count {
                let missing = table.header[record.fields.count...].map(\.value).filter { required.contains($0.lowercased()) }
                if !missing.isEmpty || record.fields.count < required.count {
                    d.error(
                        SourceLocation(file: table.file, line: record.line),
                        "this row has \(record.fields.count) field\(record.fields.count == 1 ? "" : "s"), expected \(table.header.count) (\(table.header.map(\.value).joined(separator: ",")))"
                    )
                    continue
                }
            } else if record.fields.count > table.header.count {
                d.error(
                    SourceLocation(file: table.file, line: record.line),
                    "this row has \(record.fields.count) fields, expected \(table.header.count) (\(table.header.map(\.value).joined(separator: ",")))"
                )
                continue
            }
            var values: [String: CSVTable.Field] = [:]
            for (name, i) in col where i < record.fields.count { values[name] = record.fields[i] }
            var complete = true
            for r in required where (values[r]?.value ?? "").isEmpty {
                let f = values[r]
                d.error(SourceLocation(file: table.file, line: record.line, column: f?.column ?? 0), "\(r) is empty")
                complete = false
            }
            if complete { out.append(Row(values: values, line: record.line)) }
        }
        return out
    }

    private static func loc(_ table: CSVTable, _ f: CSVTable.Field?, _ line: Int) -> SourceLocation {
        SourceLocation(file: table.file, line: f?.line ?? line, column: f?.column ?? 0)
    }

    public static func preferences(from table: CSVTable, knownIDs: Set<String>, diagnostics d: inout Diagnostics) -> [Preference] {
        var out: [Preference] = []
        var seen: [String: Int] = [:]
        for row in rows(table, columns: ["from_id", "to_id", "rank"], required: ["from_id", "to_id", "rank"], &d) {
            let from = row.values["from_id"]!, to = row.values["to_id"]!, rankField = row.values["rank"]!
            guard let rank = Int(rankField.value), (1...maximumRank).contains(rank) else {
                d.error(loc(table, rankField, row.line), "rank must be a whole number from 1 (best) to \(maximumRank), not '\(rankField.value)'")
                continue
            }
            var unknown = false
            for f in [from, to] where !knownIDs.contains(f.value) {
                d.warning(loc(table, f, row.line), "'\(f.value)' is not in the roster; this preference is ignored")
                unknown = true
            }
            if unknown { continue }
            let key = from.value + "\u{1F}" + to.value
            if let first = seen[key] {
                d.warning(SourceLocation(file: table.file, line: row.line), "repeated preference \(from.value) → \(to.value); line \(first) is kept")
                continue
            }
            seen[key] = row.line
            out.append(Preference(fromID: from.value, toID: to.value, rank: rank))
        }
        return out
    }

    public static func exclusions(from table: CSVTable, knownIDs: Set<String>, diagnostics d: inout Diagnostics) -> [Exclusion] {
        var out: [Exclusion] = []
        for row in rows(table, columns: ["a_id", "b_id", "reason"], required: ["a_id", "b_id"], &d) {
            let a = row.values["a_id"]!, b = row.values["b_id"]!
            var unknown = false
            for f in [a, b] where !knownIDs.contains(f.value) {
                d.warning(loc(table, f, row.line), "'\(f.value)' is not in the roster; this exclusion is ignored")
                unknown = true
            }
            if !unknown { out.append(Exclusion(a: a.value, b: b.value, reason: row.values["reason"]?.value ?? "")) }
        }
        return out
    }

    public static func history(from table: CSVTable, knownIDs: Set<String>, diagnostics d: inout Diagnostics) -> [PastPair] {
        var out: [PastPair] = []
        for row in rows(table, columns: ["mentor_id", "mentee_id", "cohort"], required: ["mentor_id", "mentee_id"], &d) {
            let m = row.values["mentor_id"]!, e = row.values["mentee_id"]!
            var unknown = false
            for f in [m, e] where !knownIDs.contains(f.value) {
                d.warning(loc(table, f, row.line), "'\(f.value)' is not in the roster; this history row is ignored")
                unknown = true
            }
            if !unknown { out.append(PastPair(mentorID: m.value, menteeID: e.value, cohort: row.values["cohort"]?.value ?? "")) }
        }
        return out
    }

    /// org.csv rows: id → (manager id, location of the row).
    public static func org(from table: CSVTable, diagnostics d: inout Diagnostics) -> [String: (manager: String, location: SourceLocation)] {
        var out: [String: (manager: String, location: SourceLocation)] = [:]
        for row in rows(table, columns: ["id", "manager_id"], required: ["id"], &d) {
            let id = row.values["id"]!
            guard let m = row.values["manager_id"], !m.value.isEmpty else { continue }
            let l = loc(table, m, row.line)
            if m.value == id.value {
                d.error(l, "'\(id.value)' is given as their own manager")
                continue
            }
            if let existing = out[id.value] {
                if existing.manager != m.value {
                    d.error(
                        loc(table, id, row.line),
                        "'\(id.value)' already has manager '\(existing.manager)' (\(existing.location)); one person has one manager")
                }
                continue
            }
            out[id.value] = (m.value, l)
        }
        return out
    }

    /// scores.csv rows (SPEC 9.6) from a parsed table: (mentor, mentee) → score in [0, 1]; a repeated
    /// pair keeps its first row. (``ScoresFile`` reads large plain files without the table.)
    public static func scores(from table: CSVTable, knownIDs: Set<String>, diagnostics d: inout Diagnostics) -> PairScores {
        var reader = ScoresFile.Reader(file: table.file, knownIDs: knownIDs)
        var firstLine: [PairKey: Int] = [:]
        for row in rows(table, columns: ScoresFile.columns, required: ScoresFile.columns, &d) {
            let m = row.values["mentor_id"]!, e = row.values["mentee_id"]!, score = row.values["score"]!
            let key = PairKey(mentorID: m.value, menteeID: e.value)
            if reader.take(
                mentor: m.value, at: loc(table, m, row.line), mentee: e.value, at: loc(table, e, row.line),
                score: score.value, at: loc(table, score, row.line), line: row.line, &d)
            {
                firstLine[key] = firstLine[key] ?? row.line
            }
        }
        reader.reportRepeats(firstLine: { firstLine[$0] }, &d)
        return reader.scores
    }
}
