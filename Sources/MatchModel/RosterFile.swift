/// Reads `roster.csv` (SPEC 1.1) into people, collecting every problem.
public enum RosterFile {
    /// A mentor's largest capacity, as for `rules.default_capacity`: every sum of capacities the
    /// engines form then stays far inside their integer types, whatever the roster holds.
    public static let maximumCapacity = 1_000
    /// A hundred years of tenure: larger values are typing errors.
    public static let maximumTenureMonths = 1_200
    /// Longest lists in one cell: skills (expertise, goals), languages, attributes.
    public static let maximumSkills = 100
    public static let maximumLanguages = 20
    public static let maximumAttributes = 50
    public static let columns = [
        "id", "name", "role", "level", "department", "location", "timezone", "languages",
        "manager_id", "expertise", "goals", "capacity", "tenure_months", "rating", "style",
        "attributes", "priority", "opt_out", "mentors"
    ]
    /// A mentee's own number of mentors (SPEC 9.1).
    public static let mentorLimitRange = 1...5
    static let required = ["id", "role", "level", "department", "timezone", "languages"]

    /// Column name → index, with missing/duplicate/unknown columns reported.
    static func columnIndex(
        _ table: CSVTable, known: [String], required: [String],
        warnUnknown: Bool, _ d: inout Diagnostics
    ) -> [String: Int]? {
        var index: [String: Int] = [:]
        for (i, h) in table.header.enumerated() {
            let key = h.value.lowercased()
            let loc = SourceLocation(file: table.file, line: h.line, column: h.column)
            if index[key] != nil {
                d.error(loc, "column '\(h.value)' appears twice in the header")
                continue
            }
            index[key] = i
            if !known.contains(key) && warnUnknown {
                d.warning(
                    loc,
                    "unknown column '\(h.value)' is ignored" + (DidYouMean.suggestion(for: key, in: known).map { "; did you mean '\($0)'?" } ?? ""))
            }
        }
        let missing = required.filter { index[$0] == nil }
        if !missing.isEmpty, table.header.count == 1, let only = table.header.first,
            let separator = [(";", "semicolon"), ("\t", "tab")].first(where: { only.value.contains($0.0) })
        {
            d.error(
                SourceLocation(file: table.file, line: only.line, column: 1),
                "the file looks \(separator.1)-separated; MentorMatch reads comma-separated CSV (in a spreadsheet: save as 'CSV UTF-8 (comma delimited)')"
            )
            return nil
        }
        if !missing.isEmpty {
            let line = table.header.first?.line ?? 1
            d.error(
                SourceLocation(file: table.file, line: line, column: 1),
                "the header lacks required column\(missing.count > 1 ? "s" : "") \(missing.map { "'\($0)'" }.joined(separator: ", ")); found: \(table.header.map(\.value).joined(separator: ","))"
            )
            return nil
        }
        return index
    }

    /// Parses the roster table; people with errors are left out of the result.
    /// - Parameter criteriaColumns: lower-cased columns the program's criteria read (kept per person, never warned about).
    public static func people(from table: CSVTable, criteriaColumns: [String] = [], diagnostics d: inout Diagnostics) -> [Person] {
        guard let col = columnIndex(table, known: columns + criteriaColumns, required: required, warnUnknown: true, &d) else { return [] }
        let columns = Columns(col)
        let criteriaIndex = criteriaColumns.compactMap { c in col[c].map { (c, $0) } }
        var people: [Person] = []
        var seen = RosterSoFar()
        let width = table.header.count
        for record in table.records {
            if record.fields.count != width {
                d.error(
                    SourceLocation(file: table.file, line: record.line),
                    "this row has \(record.fields.count) field\(record.fields.count == 1 ? "" : "s") but the header has \(width); check for a missing or extra comma"
                )
                continue
            }
            var row = Row(record: record, file: table.file)
            let person = row.person(columns, &seen)
            d.append(contentsOf: row.diagnostics)
            guard var person else { continue }
            for (c, i) in criteriaIndex where !record.fields[i].value.isEmpty { person.criteriaCells[c] = record.fields[i].value }
            people.append(person)
        }
        seen.languages.warnings(&d)
        return people
    }

    /// The roster's columns, located once (not a dictionary look-up per cell: 125 k rows × 18 columns).
    private struct Columns {
        let id: Int, role: Int, level: Int, department: Int, timezone: Int, languages: Int
        let name: Int?, location: Int?, managerID: Int?, expertise: Int?, goals: Int?, capacity: Int?, tenureMonths: Int?
        let rating: Int?, style: Int?, attributes: Int?, priority: Int?, optOut: Int?, mentors: Int?

        /// - Precondition: the required columns are in `col` (``columnIndex(_:known:required:warnUnknown:_:)`` checked).
        init(_ col: [String: Int]) {
            id = col["id"]!
            role = col["role"]!
            level = col["level"]!
            department = col["department"]!
            timezone = col["timezone"]!
            languages = col["languages"]!
            name = col["name"]
            location = col["location"]
            managerID = col["manager_id"]
            expertise = col["expertise"]
            goals = col["goals"]
            capacity = col["capacity"]
            tenureMonths = col["tenure_months"]
            rating = col["rating"]
            style = col["style"]
            attributes = col["attributes"]
            priority = col["priority"]
            optOut = col["opt_out"]
            mentors = col["mentors"]
        }
    }

    /// What earlier rows tell later ones: ids in use, time zones parsed (a roster names a few dozen:
    /// each is a Foundation look-up once), and the language codes seen.
    private struct RosterSoFar {
        var firstLine: [String: Int] = [:]
        var zones: [String: TimeZoneSpec?] = [:]
        var languages = LanguageCodes.Survey()
    }

    /// One record being read: each cell checked in column order, every problem reported at its cell.
    private struct Row {
        let record: CSVTable.Record
        let file: String
        /// This row's problems, in column order.
        var diagnostics = Diagnostics()
        var ok = true

        func cell(_ column: Int?) -> CSVTable.Field? { column.map { record.fields[$0] } }
        func loc(_ f: CSVTable.Field) -> SourceLocation { SourceLocation(file: file, line: f.line, column: f.column) }
        mutating func fail(_ f: CSVTable.Field, _ message: String) {
            diagnostics.error(loc(f), message)
            ok = false
        }

        /// The person, or nil when any cell has a problem.
        mutating func person(_ c: Columns, _ seen: inout RosterSoFar) -> Person? {
            let idField = cell(c.id)!
            let id = idField.value
            if id.isEmpty {
                fail(idField, "id is empty; every person needs a unique id")
            } else if let first = seen.firstLine[id] {
                fail(idField, "duplicate id '\(id)'; first used on line \(first)")
            } else {
                seen.firstLine[id] = record.line
            }
            let roleField = cell(c.role)!
            let role = Role(rawValue: roleField.value.lowercased())
            if role == nil { fail(roleField, "role must be mentor, mentee or both, not '\(roleField.value)'") }
            let levelField = cell(c.level)!
            let level = Int(levelField.value)
            if level == nil || !(1...15).contains(level!) {
                fail(levelField, "level must be a whole number from 1 to 15, not '\(levelField.value)'")
            }
            let deptField = cell(c.department)!
            if deptField.value.isEmpty { fail(deptField, "department is empty") }
            let tz = timeZone(cell(c.timezone)!, &seen)
            let languages = languages(cell(c.languages)!, &seen)
            var managerID: String?
            if let f = cell(c.managerID), !f.value.isEmpty {
                if f.value == id { fail(f, "'\(id)' is given as their own manager") }
                managerID = f.value
            }
            var expertise: [String: Int] = [:]
            if let f = cell(c.expertise) {
                expertise = skillList(f, range: 1...5, what: "proficiency", example: "swift:4;leadership:5", loc(f), &diagnostics, &ok)
            }
            var goals: [String: Int] = [:]
            if let f = cell(c.goals) {
                goals = skillList(f, range: 1...3, what: "priority", example: "swift:3;public-speaking:1", loc(f), &diagnostics, &ok)
            }
            let capacity = wholeNumber(c.capacity, in: 0...maximumCapacity) {
                "capacity must be a whole number from 0 to \(maximumCapacity) (blank uses the policy default), not '\($0)'"
            }
            let tenure = wholeNumber(c.tenureMonths, in: 0...maximumTenureMonths) {
                "tenure_months must be a whole number from 0 to \(maximumTenureMonths), not '\($0)'"
            }
            var rating: Double?
            if let f = cell(c.rating), !f.value.isEmpty {
                if let r = Double(f.value), r >= 1, r <= 5 { rating = r } else { fail(f, "rating must be a number from 1 to 5, not '\(f.value)'") }
            }
            var style: DiscStyle?
            if let f = cell(c.style), !f.value.isEmpty {
                style = DiscStyle(rawValue: f.value.uppercased())
                if style == nil { fail(f, "style must be one of D, I, S, C (DiSC), not '\(f.value)'") }
            }
            let attributes = attributes(cell(c.attributes))
            let (priority, optedOut) = (priority(cell(c.priority)), optOut(cell(c.optOut)))
            let mentorLimit = wholeNumber(c.mentors, in: mentorLimitRange) {
                "mentors must be a whole number from \(mentorLimitRange.lowerBound) to \(mentorLimitRange.upperBound) (blank uses rules.mentors_per_mentee), not '\($0)'"
            }
            guard ok, let role, let level, let tz else { return nil }
            var person = Person(
                id: id, name: cell(c.name)?.value ?? "", role: role, level: level, department: deptField.value,
                location: cell(c.location)?.value ?? "", timeZone: tz, languages: languages, managerID: managerID,
                expertise: expertise, goals: goals, capacity: capacity, tenureMonths: tenure, rating: rating,
                style: style, attributes: attributes, priority: priority, optedOut: optedOut, line: record.line)
            person.mentorLimit = mentorLimit
            return person
        }

        private mutating func timeZone(_ f: CSVTable.Field, _ seen: inout RosterSoFar) -> TimeZoneSpec? {
            let tz: TimeZoneSpec?
            if let known = seen.zones[f.value] {
                tz = known
            } else {
                tz = TimeZoneSpec(parsing: f.value)
                seen.zones[f.value] = tz
            }
            if tz == nil {
                fail(f, "'\(f.value)' is not a time zone; expected an IANA name such as Europe/Berlin or an offset such as UTC+05:30")
            }
            return tz
        }

        private mutating func languages(_ f: CSVTable.Field, _ seen: inout RosterSoFar) -> [String] {
            let languages = f.value.splitFields(";").map { $0.trimmedWhitespace.lowercased() }.filter { !$0.isEmpty }
            if languages.isEmpty { fail(f, "languages is empty; list at least one, e.g. en;de") }
            if languages.count > maximumLanguages {
                fail(f, "\(languages.count) languages; at most \(maximumLanguages) are allowed")
            }
            for language in languages { seen.languages.note(language, at: loc(f)) }
            return languages
        }

        /// A blank cell is nil; else a whole number in `range`, or a problem worded by `message(cell)`.
        private mutating func wholeNumber(_ column: Int?, in range: ClosedRange<Int>, _ message: (String) -> String) -> Int? {
            guard let f = cell(column), !f.value.isEmpty else { return nil }
            if let k = Int(f.value), range.contains(k) { return k }
            fail(f, message(f.value))
            return nil
        }

        private mutating func attributes(_ cell: CSVTable.Field?) -> [String: String] {
            guard let f = cell, !f.value.isEmpty else { return [:] }
            var attributes: [String: String] = [:]
            let count = f.value.splitFields(";").count
            if count > maximumAttributes { fail(f, "\(count) attributes; at most \(maximumAttributes) are allowed") }
            for part in f.value.splitFields(";") {
                let item = part.trimmedWhitespace
                if item.isEmpty { continue }
                let kv = item.split(separator: "=", maxSplits: 1).map { $0.trimmedWhitespace }
                if kv.count != 2 || kv[0].isEmpty {
                    fail(f, "attribute '\(item)' must be key=value, e.g. gender=f;urg=yes")
                } else if attributes[kv[0]] != nil {
                    fail(f, "attribute '\(kv[0])' is given twice")
                } else {
                    attributes[kv[0]] = kv[1]
                }
            }
            return attributes
        }

        private mutating func priority(_ cell: CSVTable.Field?) -> MenteePriority {
            guard let f = cell, !f.value.isEmpty else { return .normal }
            if let p = MenteePriority(rawValue: f.value.lowercased()) { return p }
            fail(f, "priority must be high or normal, not '\(f.value)'")
            return .normal
        }

        private mutating func optOut(_ cell: CSVTable.Field?) -> Bool {
            guard let f = cell, !f.value.isEmpty else { return false }
            switch f.value.lowercased() {
            case "yes", "true": return true
            case "no", "false": return false
            default:
                fail(f, "opt_out must be yes, no, true or false, not '\(f.value)'")
                return false
            }
        }
    }

    fileprivate static func skillList(
        _ f: CSVTable.Field, range: ClosedRange<Int>, what: String, example: String,
        _ loc: SourceLocation, _ d: inout Diagnostics, _ ok: inout Bool
    ) -> [String: Int] {
        var out: [String: Int] = [:]
        let parts = f.value.splitFields(";")
        if parts.count > maximumSkills {
            d.error(loc, "\(parts.count) skills; at most \(maximumSkills) are allowed")
            ok = false
            return [:]
        }
        for part in parts {
            let item = part.trimmedWhitespace
            if item.isEmpty { continue }
            let pieces = item.splitFields(":", omittingEmptySubsequences: false)
            guard pieces.count == 2 else {
                d.error(loc, "'\(item)' must be skill:\(what), e.g. \(example)")
                ok = false
                continue
            }
            let skill = SkillName.normalize(String(pieces[0]))
            let valueText = pieces[1].trimmedWhitespace
            guard !skill.isEmpty else {
                d.error(loc, "'\(item)' has no skill name; expected skill:\(what), e.g. \(example)")
                ok = false
                continue
            }
            guard let v = Int(valueText), range.contains(v) else {
                d.error(loc, "\(what) of '\(skill)' must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(valueText)'")
                ok = false
                continue
            }
            if out[skill] != nil {
                d.error(loc, "skill '\(skill)' is listed twice")
                ok = false
                continue
            }
            out[skill] = v
        }
        return out
    }
}
