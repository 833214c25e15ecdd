import Foundation
import Testing

@testable import MatchModel

/// Inputs from an audit that crashed, hung, leaked or misled; each is now a located error or warning.
@Suite struct HostileInputTests {
    func load(_ files: [String: String]) -> (Program?, [Diagnostic]) { Fixture(files).load() }
    func errors(_ diags: [Diagnostic]) -> [Diagnostic] { diags.filter { $0.severity == .error } }
    func warnings(_ diags: [Diagnostic]) -> [Diagnostic] { diags.filter { $0.severity == .warning } }

    @Test func aControlCharacterInTheProgramFileIsLocated() throws {
        let (p, diags) = load(["program.yaml": "name: Test\ncohort: T\u{1}1\nroster: roster.csv\n", "roster.csv": Fixture.goodRoster])
        #expect(p == nil)
        let e = try #require(errors(diags).first)
        #expect(e.location.line == 2 && e.location.column == 10, "\(e)")
        #expect(e.message.contains("U+0001"))
    }

    @Test func aHeaderOnlyRosterIsLocated() throws {
        let (p, diags) = load(["program.yaml": Fixture.program(), "roster.csv": Fixture.header + "\n"])
        #expect(p == nil)
        let e = try #require(errors(diags).first)
        #expect(e.location.line == 1 && e.message.contains("no people"), "\(e)")
    }

    @Test func aSemicolonSeparatedRosterIsNamedSo() throws {
        let roster = Fixture.goodRoster.replacingOccurrences(of: ",", with: ";")
        let (p, diags) = load(["program.yaml": Fixture.program(), "roster.csv": roster])
        #expect(p == nil)
        let e = try #require(errors(diags).first)
        #expect(e.message.contains("semicolon-separated"), "\(e)")
        #expect(errors(diags).count == 1)
    }

    /// A roster that cannot be read makes no flood of "not in the roster" warnings for the side files.
    @Test(arguments: ["missing", "renamed column"])
    func aBrokenRosterGivesOneErrorAndNoFlood(_ how: String) throws {
        var files = [
            "program.yaml": Fixture.program("preferences: preferences.csv\nexclusions: exclusions.csv\n"),
            "preferences.csv": "from_id,to_id,rank\nE1,M1,1\nM1,E1,1\n",
            "exclusions.csv": "a_id,b_id,reason\nE1,M1,x\n"
        ]
        if how != "missing" { files["roster.csv"] = Fixture.goodRoster.replacingOccurrences(of: "id,name,", with: "ident,name,") }
        let (p, diags) = load(files)
        #expect(p == nil)
        #expect(errors(diags).count == 1, "\(diags)")
        #expect(!diags.contains { $0.message.contains("not in the roster") }, "\(diags)")
    }

    @Test func languageNamesAreWarnedAboutOncePerValue() throws {
        let roster = """
            \(Fixture.header)
            M1,Ann,mentor,8,Eng,HQ,Europe/Berlin,English;de,,swift:4,,,24,4,D,,normal,no
            E1,Bob,mentee,5,Sales,HQ,Europe/Berlin,English,M1,,swift:2,,,,I,,high,no
            E2,Cy,mentee,5,Sales,HQ,Europe/Berlin,en;Klingonese,M1,,swift:2,,,,I,,high,no
            """
        let (p, diags) = load(["program.yaml": Fixture.program(), "roster.csv": roster])
        #expect(p != nil)
        let w = warnings(diags)
        #expect(w.count == 2, "\(w)")
        #expect(w.contains { $0.message.contains("'english' (2 people)") && $0.message.contains("en") && $0.location.line == 2 })
        #expect(w.contains { $0.message.contains("'klingonese' (1 person)") && $0.location.line == 4 })
    }

    @Test(arguments: ["../roster.csv", "/etc/passwd", "sub/../../roster.csv", "~/roster.csv", ".", ""])
    func filesOutsideTheProgramsFolderAreRefused(_ path: String) throws {
        let (p, diags) = load(["program.yaml": "roster: \"\(path)\"\n", "roster.csv": Fixture.goodRoster])
        #expect(p == nil)
        let e = try #require(errors(diags).first)
        #expect(e.location.line == 1, "\(e)")
        #expect(e.message.contains("roster"), "\(e)")
        #expect(!e.message.contains("root:"), "a message must not quote the file it refused")
    }

    @Test func aFileBelowTheProgramsFolderIsRead() throws {
        let f = Fixture(["program.yaml": Fixture.program().replacingOccurrences(of: "roster.csv", with: "hr/../hr/roster.csv")])
        try FileManager.default.createDirectory(atPath: f.dir + "/hr", withIntermediateDirectories: true)
        try Fixture.goodRoster.write(toFile: f.dir + "/hr/roster.csv", atomically: true, encoding: .utf8)
        #expect(f.load().0?.people.count == 2)
    }

    /// A 3 MB header cell: one error, quickly, and a message of readable length.
    @Test(.timeLimit(.minutes(1))) func aHugeHeaderCellIsRefusedQuickly() throws {
        let cell = String(repeating: "q", count: 3_000_000)
        let (p, diags) = load(["program.yaml": Fixture.program(), "roster.csv": cell + "\nx\n"])
        #expect(p == nil)
        #expect(!errors(diags).isEmpty)
        #expect(diags.allSatisfy { $0.message.count <= 1_010 })
    }

    @Test func didYouMeanSkipsWordsOfAnotherLength() {
        #expect(DidYouMean.suggestion(for: "departmnet", in: RosterFile.columns) == "department")
        #expect(DidYouMean.suggestion(for: String(repeating: "a", count: 100_000), in: RosterFile.columns) == nil)
    }

    @Test func messagesShowControlCharactersAndAreCut() {
        let d = Diagnostic.error(SourceLocation(file: "r.csv"), "'\u{1B}[2J\u{7}' " + String(repeating: "x", count: 5_000))
        #expect(!d.message.unicodeScalars.contains { $0.value < 0x20 })
        #expect(d.message.contains("\\u{1B}[2J\\u{7}"))
        #expect(d.message.count <= 1_010)
    }

    @Test func aCellPastTheLimitIsLocated() throws {
        let long = String(repeating: "n", count: CSVTable.maximumCellCharacters + 1)
        let roster = Fixture.goodRoster.replacingOccurrences(of: ",Bob,", with: ",\(long),")
        let (p, diags) = load(["program.yaml": Fixture.program(), "roster.csv": roster])
        #expect(p == nil)
        let e = try #require(errors(diags).first)
        #expect(e.location.line == 3 && e.location.column == 4, "\(e)")
    }

    @Test func listsAndRanksPastTheirLimitsAreLocated() throws {
        let skills = (1...(RosterFile.maximumSkills + 1)).map { "s\($0):3" }.joined(separator: ";")
        let roster = Fixture.goodRoster.replacingOccurrences(of: "swift:4", with: skills)
        let (p, diags) = load(["program.yaml": Fixture.program(), "roster.csv": roster])
        #expect(p == nil)
        #expect(errors(diags).contains { $0.location.line == 2 && $0.message.contains("at most \(RosterFile.maximumSkills)") })

        let (q, d2) = load([
            "program.yaml": Fixture.program("preferences: p.csv\n"), "roster.csv": Fixture.goodRoster,
            "p.csv": "from_id,to_id,rank\nE1,M1,100001\n"
        ])
        #expect(q == nil)
        #expect(errors(d2).contains { $0.location.line == 2 && $0.message.contains("to 100000") })

        let rules = (1...51).map { "{attribute: a\($0), tolerance: 0.1}" }.joined(separator: ", ")
        let (r, d3) = load(["program.yaml": Fixture.program("equity:\n  group_access: [\(rules)]\n"), "roster.csv": Fixture.goodRoster])
        #expect(r == nil)
        #expect(errors(d3).contains { $0.message.contains("at most 50") && $0.location.line == 6 })
    }

    @Test func aProgramFileOverAMegabyteIsRefused() throws {
        let (p, diags) = load(["program.yaml": Fixture.program() + "#" + String(repeating: "x", count: YAMLText.maximumBytes)])
        #expect(p == nil)
        #expect(errors(diags).first?.message.contains("at most") == true)
    }
}
