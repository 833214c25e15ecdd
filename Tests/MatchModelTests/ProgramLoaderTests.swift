import Foundation
import Testing

@testable import MatchModel

@Suite struct ProgramLoaderTests {
    func errors(_ files: [String: String]) -> [Diagnostic] {
        Fixture(files).load().1.filter { $0.severity == .error }
    }

    @Test func loadsAGoodProgramWithDefaults() throws {
        let f = Fixture(["program.yaml": Fixture.program(), "roster.csv": Fixture.goodRoster])
        let (p, diags) = f.load()
        let program = try #require(p)
        #expect(diags.isEmpty)
        #expect(program.people.count == 2)
        #expect(program.policy == Policy())
        #expect(program.people[0].expertise == ["swift": 4])
        #expect(program.people[1].priority == .high)
        #expect(program.managers["E1"] == "M1")
        #expect(program.start == ProgramDate("2027-01-15"))
    }

    @Test func readsEveryPolicyKey() throws {
        let yaml = Fixture.program(
            """
            duration_months: 9
            weights: {skills: 0.4, level: 0.2, timezone: 0.1, preference: 0.1, style: 0.1, cross_department: 0.1}
            rules:
              mentors_per_mentee: 2
              max_timezone_gap_hours: null
              shared_language: false
              level_gap: {min: 0, max: 6, ideal: 3}
              default_capacity: 3
              capacity_by_level: {7: 3, 9: 4}
              exclude_management_chain: false
              no_repeat_pairs: false
              mentor_eligibility: {min_tenure_months: 6, min_rating: 3.5}
            equity:
              group_access:
                - {attribute: urg, tolerance: 0.0}
                - {attribute: gender, tolerance: 0.1}
              department_access: {tolerance: 0.10}
              max_same_department_per_mentor: 2
              location_reach: {location: HQ, min_share_outside: 0.4}
            objective: coverage_then_fairness
            solver: {time_limit_seconds: 30, mip_gap: 0.01}
            """)
        let (p, diags) = Fixture(["program.yaml": yaml, "roster.csv": Fixture.goodRoster]).load()
        // The two-person roster's equity groups are tiny: warned about, nothing else.
        #expect(diags.allSatisfy { $0.severity == .warning && $0.message.contains("fewer than 5") }, "\(diags)")
        let policy = try #require(p).policy
        #expect(policy.weights.skills == 0.4 && policy.weights.crossDepartment == 0.1)
        #expect(policy.rules.mentorsPerMentee == 2)
        #expect(policy.rules.maxTimezoneGapHours == nil)
        #expect(policy.rules.sharedLanguage == false)
        #expect(policy.rules.levelGap.min == 0 && policy.rules.levelGap.max == 6 && policy.rules.levelGap.ideal == 3)
        #expect(policy.rules.capacityByLevel == [7: 3, 9: 4])
        #expect(policy.rules.minTenureMonths == 6 && policy.rules.minRating == 3.5)
        #expect(policy.equity.groupAccess == [.init(attribute: "urg", tolerance: 0), .init(attribute: "gender", tolerance: 0.1)])
        #expect(policy.equity.departmentAccessTolerance == 0.1)
        #expect(policy.equity.maxSameDepartmentPerMentor == 2)
        #expect(policy.equity.locationReach == .init(location: "HQ", minShareOutside: 0.4))
        #expect(policy.objective == .coverageThenFairness)
        #expect(policy.solver.timeLimitSeconds == 30 && policy.solver.mipGap == 0.01)
    }

    @Test func anUnknownKeySuggestsTheRightOne() {
        let e = errors([
            "program.yaml": Fixture.program("rules:\n  max_timezone_gap_hour: 5\nwieghts: {}\n"),
            "roster.csv": Fixture.goodRoster
        ])
        #expect(e.contains { $0.message.contains("did you mean 'max_timezone_gap_hours'") && $0.location.line == 6 })
        #expect(e.contains { $0.message.contains("did you mean 'weights'") && $0.location.line == 7 && $0.location.column == 1 })
    }

    @Test func wrongTypesAndRangesAreLocated() {
        let e = errors([
            "program.yaml": Fixture.program(
                "rules:\n  default_capacity: -1\n  shared_language: maybe\nsolver: {mip_gap: lots}\nobjective: coverage\n"
            ).replacingOccurrences(of: "2027-01-15", with: "2027-02-30"),
            "roster.csv": Fixture.goodRoster
        ])
        #expect(e.contains { $0.message.contains("default_capacity") && $0.location.line == 6 && $0.location.column == 21 })
        #expect(e.contains { $0.message.contains("shared_language must be true or false") })
        #expect(e.contains { $0.message.contains("mip_gap must be a number") })
        #expect(e.contains { $0.message.contains("start must be a date") })
        #expect(e.contains { $0.message.contains("objective 'coverage' is not known") })
    }

    @Test func aRepeatedKeyIsLocated() {
        let e = errors(["program.yaml": "roster: roster.csv\nname: a\nname: b\n", "roster.csv": Fixture.goodRoster])
        #expect(e.count == 1)
        #expect(e.first?.message.contains("name") == true)
        #expect((e.first?.location.line ?? 0) > 0)
    }

    @Test func badYAMLIsLocated() {
        let e = errors(["program.yaml": "roster: roster.csv\nrules: [unclosed\n", "roster.csv": Fixture.goodRoster])
        #expect(e.count == 1)
        #expect(e.first?.message.hasPrefix("not valid YAML") == true)
        #expect((e.first?.location.line ?? 0) >= 2)
    }

    @Test func aMissingRosterIsAnError() {
        #expect(errors(["program.yaml": "name: x\n"]).contains { $0.message.contains("must name a roster") })
        #expect(errors(["program.yaml": "roster: nope.csv\n"]).contains { $0.message.contains("file not found") && $0.location.line == 1 })
    }

    @Test func everyRosterCellErrorIsCollectedWithItsColumn() {
        let roster = """
            \(Fixture.header)
            M1,Ann,mentor,8,Eng,HQ,Europe/Berlin,en,,swift:4,,,24,4,D,,normal,no
            M1,Dup,mentor,8,Eng,HQ,Europe/Berlin,en,,,,,,,,,,
            X1,Bad,boss,0,,HQ,Mars/Olympus,,X1,swift:9;bad,x:4,-1,-3,7,Q,gender,urgent,maybe
            X2,Short,mentee,3
            """
        let e = errors(["program.yaml": Fixture.program(), "roster.csv": roster])
        func has(_ line: Int, _ column: Int, _ text: String) -> Bool {
            e.contains { $0.location.line == line && $0.location.column == column && $0.message.contains(text) }
        }
        #expect(has(3, 1, "duplicate id 'M1'; first used on line 2"))
        #expect(has(4, 8, "role must be mentor, mentee or both"))
        #expect(has(4, 13, "level must be a whole number from 1 to 15"))
        #expect(has(4, 15, "department is empty"))
        #expect(has(4, 19, "'Mars/Olympus' is not a time zone"))
        #expect(has(4, 32, "languages is empty"))
        #expect(has(4, 33, "given as their own manager"))
        #expect(e.contains { $0.location.line == 4 && $0.message.contains("proficiency of 'swift' must be a whole number from 1 to 5") })
        #expect(e.contains { $0.location.line == 4 && $0.message.contains("'bad' must be skill:proficiency") })
        #expect(e.contains { $0.location.line == 4 && $0.message.contains("priority of 'x' must be a whole number from 1 to 3") })
        #expect(e.contains { $0.location.line == 4 && $0.message.contains("capacity must be a whole number from 0 to 1000") })
        #expect(e.contains { $0.location.line == 4 && $0.message.contains("tenure_months") })
        #expect(e.contains { $0.location.line == 4 && $0.message.contains("rating must be a number from 1 to 5") })
        #expect(e.contains { $0.location.line == 4 && $0.message.contains("style must be one of D, I, S, C") })
        #expect(e.contains { $0.location.line == 4 && $0.message.contains("attribute 'gender' must be key=value") })
        #expect(e.contains { $0.location.line == 4 && $0.message.contains("priority must be high or normal") })
        #expect(e.contains { $0.location.line == 4 && $0.message.contains("opt_out must be yes, no") })
        #expect(has(5, 0, "this row has 4 fields but the header has 18"))
    }

    @Test func missingRequiredColumnsAndUnknownColumns() {
        let f = Fixture(["program.yaml": Fixture.program(), "roster.csv": "id,role,level,department,timezone,shoe_size\nA,mentor,5,X,UTC,42\n"])
        let d = f.load().1
        #expect(d.contains { $0.severity == .error && $0.message.contains("lacks required column 'languages'") })
        #expect(d.contains { $0.severity == .warning && $0.message.contains("unknown column 'shoe_size'") && $0.location.column == 35 })
    }

    @Test func anOrgChartCycleIsAnError() {
        let roster = """
            \(Fixture.header)
            A,,mentor,8,Eng,HQ,UTC,en,B,,,,,,,,,
            B,,mentor,9,Eng,HQ,UTC,en,C,,,,,,,,,
            E,,mentee,5,Eng,HQ,UTC,en,,,,,,,,,,
            """
        let e = errors(["program.yaml": Fixture.program("org: org.csv\n"), "roster.csv": roster, "org.csv": "id,manager_id\nC,A\nD,\n"])
        #expect(e.contains { $0.message.contains("cycle: A → B → C → A") })
    }

    @Test func sideFileRowsAreValidatedAndUnknownIdsWarn() {
        let yaml = Fixture.program("preferences: prefs.csv\nexclusions: ex.csv\nhistory: hist.csv\n")
        let f = Fixture([
            "program.yaml": yaml, "roster.csv": Fixture.goodRoster,
            "prefs.csv": "from_id,to_id,rank\nE1,M1,1\nE1,M1,2\nE1,GHOST,1\nE1,M1,zero\nE1,M1\n",
            "ex.csv": "a_id,b_id,reason\nM1,NOBODY,x\n",
            "hist.csv": "mentor_id,mentee_id,cohort\nM1,E1,2026\nM9,E1,2026\n"
        ])
        let d = f.load().1
        #expect(d.contains { $0.severity == .warning && $0.message.contains("repeated preference E1 → M1; line 2 is kept") && $0.location.line == 3 })
        #expect(d.contains { $0.severity == .warning && $0.message.contains("'GHOST' is not in the roster") && $0.location.line == 4 })
        #expect(
            d.contains {
                $0.severity == .error && $0.message.contains("rank must be a whole number from 1") && $0.location.line == 5 && $0.location.column == 7
            })
        #expect(d.contains { $0.severity == .error && $0.location.line == 6 && $0.message.contains("this row has 2 fields") })
        #expect(d.contains { $0.severity == .warning && $0.message.contains("'NOBODY' is not in the roster") })
        #expect(d.contains { $0.severity == .warning && $0.message.contains("'M9' is not in the roster") })
    }

    @Test func warningsAloneDoNotStopALoad() throws {
        let yaml = Fixture.program("history: hist.csv\n")
        let (p, d) = Fixture([
            "program.yaml": yaml, "roster.csv": Fixture.goodRoster,
            "hist.csv": "mentor_id,mentee_id,cohort\nM1,E1,2026\nM9,E1,2026\n"
        ]).load()
        #expect(try #require(p).history == [PastPair(mentorID: "M1", menteeID: "E1", cohort: "2026")])
        #expect(d.count == 1 && d[0].severity == .warning)
    }

    @Test func timeZonesParseIANANamesAndOffsets() {
        #expect(TimeZoneSpec(parsing: "UTC+05:30") == .fixed(seconds: 19_800))
        #expect(TimeZoneSpec(parsing: "UTC-3") == .fixed(seconds: -10_800))
        #expect(TimeZoneSpec(parsing: "Europe/Berlin") == .iana("Europe/Berlin"))
        #expect(TimeZoneSpec(parsing: "UTC+15") == nil)
        #expect(TimeZoneSpec(parsing: "UTC+5:7") == nil)
        #expect(TimeZoneSpec(parsing: "Mars/Base") == nil)
        #expect(TimeZoneSpec(parsing: "") == nil)
    }

    @Test func offsetsAreResolvedOnTheStartDateWithDST() {
        let winter = ProgramDate("2027-01-15")!, summer = ProgramDate("2027-07-15")!
        let berlin = TimeZoneSpec.iana("Europe/Berlin")
        #expect(berlin.offsetHours(on: winter) == 1)
        #expect(berlin.offsetHours(on: summer) == 2)
        // 2027-03-20: the US has switched to DST (March 14), the UK not yet (March 28).
        let march = ProgramDate("2027-03-20")!
        #expect(TimeZoneSpec.iana("America/New_York").offsetHours(on: march) == -4)
        #expect(TimeZoneSpec.iana("Europe/London").offsetHours(on: march) == 0)
        #expect(TimeZoneSpec.iana("Asia/Kathmandu").offsetHours(on: winter) == 5.75)
        #expect(TimeZoneSpec.iana("Pacific/Auckland").offsetHours(on: winter) == 13)
    }

    @Test func skillNamesAreNormalised() {
        #expect(SkillName.normalize("  Public Speaking ") == "public-speaking")
        // The fast path (lower-case ASCII without blanks) and what must leave it.
        #expect(SkillName.normalize("public-speaking") == "public-speaking")
        #expect(SkillName.normalize("Swift") == "swift")
        #expect(SkillName.normalize("data\tscience") == "data\tscience")
        #expect(SkillName.normalize("\tsql") == "sql")
        #expect(SkillName.normalize("Ökonomie") == "ökonomie")
        #expect(SkillName.normalize("go lang") == "go-lang")
    }

    @Test func didYouMeanFindsCloseWords() {
        #expect(DidYouMean.suggestion(for: "mentor_per_mentee", in: ["mentors_per_mentee", "shared_language"]) == "mentors_per_mentee")
        #expect(DidYouMean.suggestion(for: "zzz", in: ["roster"]) == nil)
    }
}
