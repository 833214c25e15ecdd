import Foundation
import Testing

@testable import MatchModel

/// SPEC 9's program-file keys and roster columns: read as written, and every
/// mistake located with what was expected.
@Suite struct MatchingModelKeysTests {
    static let roster = """
        \(Fixture.header),mentors,Interests,career_track
        M1,Ann,mentor,8,Eng,HQ,Europe/Berlin,en;de,,swift:4,,,24,4,D,gender=f,normal,no,,Chess; go,ic
        E1,Bob,mentee,5,Sales,HQ,Europe/Berlin,en,M1,,swift:2,,,,I,gender=m,high,no,2,go,
        """

    func load(_ yaml: String, roster: String = MatchingModelKeysTests.roster, files: [String: String] = [:]) -> (Program?, [Diagnostic]) {
        var all = ["program.yaml": Fixture.program(yaml), "roster.csv": roster]
        for (k, v) in files { all[k] = v }
        return Fixture(all).load()
    }

    func errors(_ yaml: String, roster: String = MatchingModelKeysTests.roster, files: [String: String] = [:]) -> [String] {
        load(yaml, roster: roster, files: files).1.filter { $0.severity == .error }.map { "\($0)" }
    }

    @Test func readsEveryNewKey() throws {
        let (p, diagnostics) = load(
            """
            rules: {min_pair_points: 300, stable: true}
            objective: [coverage, mentors_used]
            tiers:
              peer: {level_gap: {min: 0, max: 1, ideal: 0}}
              senior: {level_gap: {min: 2, max: 6, ideal: 3}, mentor_eligibility: {min_tenure_months: 24, min_rating: 3}}
            criteria:
              - {name: interests, column: interests, kind: overlap, weight: 0.10}
              - {name: track, column: Career_Track, kind: same, weight: 0.05}
            scores: {file: scores.csv, weight: 0.3, missing: 0.2}
            equity:
              level_access: {tolerance: 0.1, bands: [[1, 3], [4, 6], [7, 15]]}
            """, files: ["scores.csv": "mentor_id,mentee_id,score\nM1,E1,0.75\nM1,E1,0.5\nM1,X9,1\n"])
        let program = try #require(p, "\(diagnostics)")
        let policy = program.policy
        #expect(policy.rules.minPairPoints == 300)
        #expect(policy.rules.stable)
        #expect(policy.objective.stages == [.coverage, .mentorsUsed, .totalPoints])
        #expect(policy.tiers.map(\.name) == ["peer", "senior"])
        let senior = policy.resolvedTiers[1].levelGap
        #expect(senior.min == 2 && senior.max == 6 && senior.ideal == 3)
        #expect(policy.resolvedTiers[1].minTenureMonths == 24 && policy.resolvedTiers[0].minTenureMonths == 0)
        #expect(policy.criteria.map(\.column) == ["interests", "career_track"])
        #expect(policy.externalScores == ExternalScores(weight: 0.3, missing: 0.2))
        #expect(policy.equity.levelAccess?.bands == [1...3, 4...6, 7...15])
        #expect(program.scores == PairScores([PairKey(mentorID: "M1", menteeID: "E1"): 0.75]))
        #expect(program.people[1].mentorLimit == 2 && program.people[0].mentorLimit == nil)
        #expect(program.people[0].criteriaCells == ["interests": "Chess; go", "career_track": "ic"])
        // The repeated score and the unknown id are warnings, and criteria columns are not "unknown".
        let warnings = diagnostics.map(\.message)
        #expect(warnings.contains { $0.contains("repeated score for M1 → E1; line 2 is kept") })
        #expect(warnings.contains { $0.contains("'X9' is not in the roster") })
        #expect(!warnings.contains { $0.contains("unknown column") })
    }

    @Test func aNamedObjectiveStillReads() throws {
        let (p, _) = load("objective: coverage_then_fairness\n")
        #expect(p?.policy.objective == .coverageThenFairness)
        let (q, _) = load("objective: [coverage, min_points, total_points]\n")
        #expect(q?.policy.objective == .coverageThenFairness)
        #expect(q?.policy.objective.name == "coverage_then_fairness")
    }

    @Test func mistakesAreLocatedWithWhatWasExpected() {
        let cases: [(String, String, String)] = [
            ("objective: [coverage, coverage]\n", "program.yaml:5:23", "listed twice"),
            ("objective: [coverage, mentor_used]\n", "program.yaml:5:23", "did you mean 'mentors_used'"),
            ("objective: []\n", "program.yaml:5:12", "lists no stage"),
            ("rules: {min_pair_points: 1001}\n", "program.yaml:5:26", "from 0 to 1000"),
            ("rules: {stable: maybe}\n", "program.yaml:5:17", "true or false"),
            ("tiers: {a: {level_gap: {min: 0, max: 2}}, b: {level_gap: {min: 2, max: 4}}}\n", "program.yaml:5:8", "overlap"),
            ("tiers: {a: {level_gap: {min: 3, max: 2}}}\n", "program.yaml:5:8", "min (3) is above max (2)"),
            ("tiers: {a: {level_gaps: {min: 0}}}\n", "program.yaml:5:13", "did you mean 'level_gap'"),
            ("criteria: [{name: skills, column: interests, kind: same, weight: 1}]\n", "program.yaml:5:12", "taken by a built-in factor"),
            ("criteria: [{name: i, column: interests, kind: overlaps, weight: 1}]\n", "program.yaml:5:47", "did you mean 'overlap'"),
            ("criteria: [{name: i, column: interests, kind: same}]\n", "program.yaml:5:12", "needs 'weight'"),
            ("criteria: [{name: i, column: hobbies, kind: same, weight: 1}]\n", "program.yaml:5:12", "does not have"),
            (
                "criteria: [{name: i, column: interests, kind: same, weight: 1}, {name: i, column: interests, kind: same, weight: 1}]\n",
                "program.yaml:5:65", "used twice"
            ),
            ("scores: {file: scores.csv}\n", "program.yaml:5:9", "needs 'file' and 'weight'"),
            ("scores: {file: scores.csv, weight: 0.2, missing: 2}\n", "program.yaml:5:50", "from 0.0 to 1.0"),
            ("equity: {level_access: {tolerance: 0.1, bands: [[1, 5], [4, 8]]}}\n", "program.yaml:5:57", "overlaps [1, 5]"),
            ("equity: {level_access: {tolerance: 0.1, bands: [[6, 5]]}}\n", "program.yaml:5:49", "is empty"),
            ("equity: {level_access: {tolerance: 0.1, bands: [3]}}\n", "program.yaml:5:49", "a pair of levels"),
            ("equity: {level_access: {tolerance: 0.1}}\n", "program.yaml:5:24", "needs 'bands'")
        ]
        for (yaml, at, says) in cases {
            let found = errors(yaml, files: ["scores.csv": "mentor_id,mentee_id,score\n"])
            #expect(found.contains { $0.contains(at) && $0.contains(says) }, "\(yaml) → \(found)")
        }
    }

    @Test func badCellsAreLocated() {
        let roster = Self.roster.replacingOccurrences(of: "no,2,go,", with: "no,7,go,")
        #expect(errors("", roster: roster).contains { $0.contains("roster.csv:3:") && $0.contains("mentors must be a whole number from 1 to 5") })
        let scores = "mentor_id,mentee_id,score\nM1,E1,1.5\n"
        #expect(
            errors("scores: {file: scores.csv, weight: 0.3}\n", files: ["scores.csv": scores]).contains {
                $0.contains("scores.csv:2:") && $0.contains("score must be a number from 0 to 1")
            })
    }

    /// A plain scores file is read line by line, a quoted one through the CSV table: the same
    /// scores and the same messages, located alike.
    @Test func bothWaysOfReadingScoresAgree() throws {
        let rows = "mentor_id, score ,mentee_id\r\nM1,0.75,E1\nM1,0.5,E1\nM1,1,X9\nM1,x,E1\nM1,0.2\n,0.3,E1\n\n"
        let quoted = rows.replacingOccurrences(of: "M1,0.75,E1", with: "\"M1\",0.75,E1")
        var results: [(PairScores, [String])] = []
        for text in [rows, quoted] {
            let (p, diagnostics) = load("scores: {file: scores.csv, weight: 0.3}\n", files: ["scores.csv": text])
            let messages = diagnostics.map { "\($0)".replacingOccurrences(of: #"^.*/([a-z]+\.csv)"#, with: "$1", options: .regularExpression) }
            results.append((p?.scores ?? PairScores(), messages.sorted()))
        }
        #expect(results[0].1 == results[1].1, "\(results[0].1)\n\(results[1].1)")
        let messages = results[0].1.joined(separator: "\n")
        for expected in [
            "scores.csv:5:4: error: score must be a number from 0 to 1, not 'x'", "scores.csv:6: error: this row has 2 fields, expected 3",
            "scores.csv:7:1: error: mentor_id is empty"
        ] {
            #expect(messages.contains(expected), "\(messages)")
        }
        // With the errors fixed, both keep the first score of the repeated pair and warn with its line.
        let fixed = "mentor_id, score ,mentee_id\r\nM1,0.75,E1\nM1,0.5,E1\nM1,1,X9\n"
        for text in [fixed, fixed.replacingOccurrences(of: "M1,0.75", with: "\"M1\",0.75")] {
            let (p, diagnostics) = load("scores: {file: scores.csv, weight: 0.3}\n", files: ["scores.csv": text])
            #expect(p?.scores == PairScores([PairKey(mentorID: "M1", menteeID: "E1"): 0.75]))
            #expect(diagnostics.contains { $0.message == "repeated score for M1 → E1; line 2 is kept" && $0.location.line == 3 })
            #expect(diagnostics.contains { $0.message.contains("'X9' is not in the roster") && $0.location.line == 4 && $0.location.column == 6 })
        }
    }

    @Test func tiersWarnThatTheMentorLimitsAreIgnored() throws {
        let (p, diagnostics) = load("rules: {mentors_per_mentee: 2}\ntiers: {peer: {level_gap: {min: 0, max: 1}}}\n")
        #expect(p != nil)
        let warnings = diagnostics.filter { $0.severity == .warning }.map(\.message)
        #expect(warnings.contains { $0.contains("rules.mentors_per_mentee is ignored") })
        #expect(warnings.contains { $0.contains("mentors column is ignored (1 person)") })
        // Given as 1 (the default's value) is still given: SPEC 9.4 warns "if set".
        let (_, again) = load("rules: {mentors_per_mentee: 1}\ntiers: {peer: {level_gap: {min: 0, max: 1}}}\n")
        #expect(again.contains { $0.severity == .warning && $0.message.contains("rules.mentors_per_mentee is ignored") && $0.location.line == 5 })
        let (_, unset) = load("tiers: {peer: {level_gap: {min: 0, max: 1}}}\n")
        #expect(!unset.contains { $0.message.contains("rules.mentors_per_mentee is ignored") })
    }
}
