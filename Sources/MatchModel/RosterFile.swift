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
        let criteriaIndex = criteriaColumns.compactMap { c in col[c].map { (c, $0) } }
        let mentorsColumn = col["mentors"]
        var people: [Person] = []
        var firstLine: [String: Int] = [:]
        let width = table.header.count
        // Column positions once, not a dictionary look-up per cell (125 k rows × 18 columns).
        let attributesColumn = col["attributes"]
        let capacityColumn = col["capacity"]
        let departmentColumn = col["department"]
        let expertiseColumn = col["expertise"]
        let goalsColumn = col["goals"]
        let idColumn = col["id"]
        let languagesColumn = col["languages"]
        let levelColumn = col["level"]
        let locationColumn = col["location"]
        let managerIdColumn = col["manager_id"]
        let nameColumn = col["name"]
        let optOutColumn = col["opt_out"]
        let priorityColumn = col["priority"]
        let ratingColumn = col["rating"]
        let roleColumn = col["role"]
        let styleColumn = col["style"]
        let tenureMonthsColumn = col["tenure_months"]
        let timezoneColumn = col["timezone"]
        // A roster names a few dozen time zones: each is parsed once (a Foundation look-up).
        var zones: [String: TimeZoneSpec?] = [:]
        var languageSurvey = LanguageCodes.Survey()
        for record in table.records {
            let rowLoc = SourceLocation(file: table.file, line: record.line)
            if record.fields.count != width {
                d.error(
                    rowLoc,
                    "this row has \(record.fields.count) field\(record.fields.count == 1 ? "" : "s") but the header has \(width); check for a missing or extra comma"
                )
                continue
            }
            var ok = true
            func cell(_ column: Int?) -> CSVTable.Field? { column.map { record.fields[$0] } }
            func loc(_ f: CSVTable.Field) -> SourceLocation { SourceLocation(file: table.file, line: f.line, column: f.column) }
            func fail(_ f: CSVTable.Field, _ message: String) {
                d.error(loc(f), message)
                ok = false
            }

            let idField = cell(idColumn)!
            let id = idField.value
            if id.isEmpty {
                fail(idField, "id is empty; every person needs a unique id")
            } else if let first = firstLine[id] {
                fail(idField, "duplicate id '\(id)'; first used on line \(first)")
            } else {
                firstLine[id] = record.line
            }

            let roleField = cell(roleColumn)!
            let role = Role(rawValue: roleField.value.lowercased())
            if role == nil { fail(roleField, "role must be mentor, mentee or both, not '\(roleField.value)'") }

            let levelField = cell(levelColumn)!
            let level = Int(levelField.value)
            if level == nil || !(1...15).contains(level!) {
                fail(levelField, "level must be a whole number from 1 to 15, not '\(levelField.value)'")
            }

            let deptField = cell(departmentColumn)!
            if deptField.value.isEmpty { fail(deptField, "department is empty") }

            let tzField = cell(timezoneColumn)!
            let tz: TimeZoneSpec?
            if let known = zones[tzField.value] {
                tz = known
            } else {
                tz = TimeZoneSpec(parsing: tzField.value)
                zones[tzField.value] = tz
            }
            if tz == nil {
                fail(tzField, "'\(tzField.value)' is not a time zone; expected an IANA name such as Europe/Berlin or an offset such as UTC+05:30")
            }

            let langField = cell(languagesColumn)!
            let languages = langField.value.splitFields(";").map { $0.trimmedWhitespace.lowercased() }.filter { !$0.isEmpty }
            if languages.isEmpty { fail(langField, "languages is empty; list at least one, e.g. en;de") }
            if languages.count > Self.maximumLanguages {
                fail(langField, "\(languages.count) languages; at most \(Self.maximumLanguages) are allowed")
            }
            for language in languages { languageSurvey.note(language, at: loc(langField)) }

            var managerID: String?
            if let f = cell(managerIdColumn), !f.value.isEmpty {
                if f.value == id { fail(f, "'\(id)' is given as their own manager") }
                managerID = f.value
            }

            var expertise: [String: Int] = [:]
            if let f = cell(expertiseColumn) {
                expertise = skillList(f, range: 1...5, what: "proficiency", example: "swift:4;leadership:5", loc(f), &d, &ok)
            }
            var goals: [String: Int] = [:]
            if let f = cell(goalsColumn) {
                goals = skillList(f, range: 1...3, what: "priority", example: "swift:3;public-speaking:1", loc(f), &d, &ok)
            }

            var capacity: Int?
            if let f = cell(capacityColumn), !f.value.isEmpty {
                if let c = Int(f.value), (0...Self.maximumCapacity).contains(c) {
                    capacity = c
                } else {
                    fail(f, "capacity must be a whole number from 0 to \(Self.maximumCapacity) (blank uses the policy default), not '\(f.value)'")
                }
            }
            var tenure: Int?
            if let f = cell(tenureMonthsColumn), !f.value.isEmpty {
                if let t = Int(f.value), (0...Self.maximumTenureMonths).contains(t) {
                    tenure = t
                } else {
                    fail(f, "tenure_months must be a whole number from 0 to \(Self.maximumTenureMonths), not '\(f.value)'")
                }
            }
            var rating: Double?
            if let f = cell(ratingColumn), !f.value.isEmpty {
                if let r = Double(f.value), r >= 1, r <= 5 { rating = r } else { fail(f, "rating must be a number from 1 to 5, not '\(f.value)'") }
            }
            var style: DiscStyle?
            if let f = cell(styleColumn), !f.value.isEmpty {
                style = DiscStyle(rawValue: f.value.uppercased())
                if style == nil { fail(f, "style must be one of D, I, S, C (DiSC), not '\(f.value)'") }
            }
            var attributes: [String: String] = [:]
            if let f = cell(attributesColumn), !f.value.isEmpty {
                let count = f.value.splitFields(";").count
                if count > Self.maximumAttributes { fail(f, "\(count) attributes; at most \(Self.maximumAttributes) are allowed") }
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
            }
            var priority = MenteePriority.normal
            if let f = cell(priorityColumn), !f.value.isEmpty {
                if let p = MenteePriority(rawValue: f.value.lowercased()) {
                    priority = p
                } else {
                    fail(f, "priority must be high or normal, not '\(f.value)'")
                }
            }
            var optedOut = false
            if let f = cell(optOutColumn), !f.value.isEmpty {
                switch f.value.lowercased() {
                case "yes", "true": optedOut = true
                case "no", "false": optedOut = false
                default: fail(f, "opt_out must be yes, no, true or false, not '\(f.value)'")
                }
            }
            var mentorLimit: Int?
            if let f = cell(mentorsColumn), !f.value.isEmpty {
                if let k = Int(f.value), Self.mentorLimitRange.contains(k) {
                    mentorLimit = k
                } else {
                    fail(
                        f,
                        "mentors must be a whole number from \(Self.mentorLimitRange.lowerBound) to \(Self.mentorLimitRange.upperBound) (blank uses rules.mentors_per_mentee), not '\(f.value)'"
                    )
                }
            }
            guard ok, let role, let level, let tz else { continue }
            var person = Person(
                id: id, name: cell(nameColumn)?.value ?? "", role: role, level: level, department: deptField.value,
                location: cell(locationColumn)?.value ?? "", timeZone: tz, languages: languages, managerID: managerID,
                expertise: expertise, goals: goals, capacity: capacity, tenureMonths: tenure, rating: rating,
                style: style, attributes: attributes, priority: priority, optedOut: optedOut, line: record.line)
            person.mentorLimit = mentorLimit
            for (c, i) in criteriaIndex where !record.fields[i].value.isEmpty { person.criteriaCells[c] = record.fields[i].value }
            people.append(person)
        }
        languageSurvey.warnings(&d)
        return people
    }

    private static func skillList(
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
