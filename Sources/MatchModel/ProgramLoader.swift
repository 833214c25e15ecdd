import Foundation

/// Loads a program file and everything it names, validating all of it.
public enum ProgramLoader {
    /// A loaded program and the warnings met on the way.
    public struct Loaded: Sendable {
        public var program: Program
        public var warnings: [Diagnostic]
    }

    /// Reads `program.yaml` and its files. Throws ``InputError`` carrying every
    /// problem (errors and warnings) when there is at least one error.
    public static func load(path: String, overrides: [ProgramOverride] = []) throws -> Loaded {
        var d = Diagnostics()
        let display = path
        let text = try YAMLText.read(path: path, what: "program file")
        var file = ProgramFile(yaml: text, file: display, diagnostics: &d)
        if d.hasErrors { throw InputError(d.items) }
        file.apply(overrides, diagnostics: &d)
        if d.hasErrors { throw InputError(d.items) }
        return try assemble(file, programPath: path, diagnostics: d)
    }

    /// Loads the files a parsed program file names (relative to `programPath`).
    public static func assemble(_ file: ProgramFile, programPath: String, diagnostics: Diagnostics = Diagnostics()) throws -> Loaded {
        var d = diagnostics
        var paths: [String: String] = [:]
        for (what, ref) in [
            ("roster", file.roster), ("preferences", file.preferences), ("exclusions", file.exclusions),
            ("history", file.history), ("org", file.org), ("scores", file.scores)
        ] {
            guard let ref else { continue }
            switch ReferencedFile.resolve(ref.path, from: programPath, what: what, at: ref.location) {
            case .success(let path): paths[ref.path] = path
            case .failure(let e): d.append(contentsOf: e.diagnostics)
            }
        }
        if d.hasErrors { throw InputError(d.items) }
        func resolve(_ ref: ProgramFile.FileReference) -> String { paths[ref.path]! }
        func table(_ ref: ProgramFile.FileReference?) -> (CSVTable, String)? {
            guard let ref else { return nil }
            let path = resolve(ref)
            do {
                return (try CSVTable.load(path: path, displayName: path, reference: ref.location), path)
            } catch let e as InputError {
                d.append(contentsOf: e.diagnostics)
            } catch {
                d.error(ref.location, "\(error)")
            }
            return nil
        }
        guard let rosterRef = file.roster else {
            throw InputError(SourceLocation(file: programPath), "the program file must name a roster")
        }
        let rosterTable = table(rosterRef)
        let people = rosterTable.map { roster($0.0, path: $0.1, file, programPath: programPath, &d) } ?? []
        // Side files are read for their own mistakes either way; but when the roster
        // could not be read, every id in them would be "not in the roster" — a flood
        // of warnings that hides the one error that matters.
        let rosterRead = rosterTable != nil && !d.hasErrors
        var side = Diagnostics()
        let ids = Set(people.map(\.id))
        var preferences: [Preference] = [], exclusions: [Exclusion] = [], history: [PastPair] = []
        var org: [String: (manager: String, location: SourceLocation)] = [:]
        if let (t, _) = table(file.preferences) { preferences = SideFiles.preferences(from: t, knownIDs: ids, diagnostics: &side) }
        if let (t, _) = table(file.exclusions) { exclusions = SideFiles.exclusions(from: t, knownIDs: ids, diagnostics: &side) }
        if let (t, _) = table(file.history) { history = SideFiles.history(from: t, knownIDs: ids, diagnostics: &side) }
        if let (t, _) = table(file.org) { org = SideFiles.org(from: t, diagnostics: &side) }
        var scores = PairScores()
        if let ref = file.scores {
            let path = resolve(ref)
            do {
                scores = try ScoresFile.read(path: path, display: path, reference: ref.location, knownIDs: ids, diagnostics: &side)
            } catch let e as InputError {
                d.append(contentsOf: e.diagnostics)
            }
        }
        let managers = OrgChart.merge(people: people, rosterFile: resolve(rosterRef), org: org, diagnostics: &side)
        d.append(contentsOf: rosterRead ? side.items : side.errors)
        if d.hasErrors { throw InputError(d.items) }
        var files = ProgramFiles(
            program: programPath, roster: resolve(rosterRef),
            preferences: file.preferences.map(resolve), exclusions: file.exclusions.map(resolve),
            history: file.history.map(resolve), org: file.org.map(resolve))
        files.scores = file.scores.map(resolve)
        let name = file.name ?? ((programPath as NSString).lastPathComponent as NSString).deletingPathExtension
        var program = Program(
            name: name, cohort: file.cohort, start: file.start ?? .today,
            durationMonths: file.durationMonths, policy: file.policy, people: people,
            preferences: preferences, exclusions: exclusions, history: history,
            managers: managers, files: files)
        program.scores = scores
        return Loaded(program: program, warnings: d.warnings + SmallEquityGroups.warnings(program) + tierWarnings(file, program))
    }

    /// The roster's people, with every criterion's column checked against its header and a roster
    /// with no rows refused.
    private static func roster(_ t: CSVTable, path: String, _ file: ProgramFile, programPath: String, _ d: inout Diagnostics) -> [Person] {
        let people = RosterFile.people(from: t, criteriaColumns: file.policy.criteria.map(\.column), diagnostics: &d)
        let header = Set(t.header.map { $0.value.lowercased() })
        for (i, c) in file.policy.criteria.enumerated() where !header.contains(c.column) {
            d.error(
                file.criteriaLocations.indices.contains(i) ? file.criteriaLocations[i] : SourceLocation(file: programPath),
                "criterion '\(c.name)' reads column '\(c.column)', which the roster does not have"
                    + DidYouMean.phrase(for: c.column, in: t.header.map { $0.value.lowercased() }))
        }
        if people.isEmpty && !d.hasErrors {
            d.error(
                SourceLocation(file: path, line: t.header.first?.line ?? 1, column: 1),
                "the roster has a header but no people; add one row per person below it")
        }
        return people
    }

    /// With tiers, `mentors_per_mentee` and the `mentors` column are ignored (SPEC 9.4): say so when they are set.
    static func tierWarnings(_ file: ProgramFile, _ program: Program) -> [Diagnostic] {
        guard !program.policy.tiers.isEmpty else { return [] }
        var d = Diagnostics()
        let at = file.tiersLocation ?? SourceLocation(file: program.files?.program ?? "program")
        if file.mentorsPerMenteeLocation != nil || program.policy.rules.mentorsPerMentee != 1 {
            d.warning(
                file.mentorsPerMenteeLocation ?? at, "with tiers, each mentee gets at most one mentor per tier; rules.mentors_per_mentee is ignored")
        }
        let limited = program.people.filter { $0.mentorLimit != nil }
        if let first = limited.first, let roster = program.files?.roster {
            d.warning(
                SourceLocation(file: roster, line: first.line),
                "with tiers, each mentee gets at most one mentor per tier; the roster's mentors column is ignored (\(limited.count) \(limited.count == 1 ? "person" : "people"))"
            )
        }
        return d.items
    }
}
