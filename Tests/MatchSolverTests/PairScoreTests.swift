import Foundation
import MatchModel
import TestSupport
import Testing

@testable import MatchSolver

@Suite struct PairScoreTests {
    @Test func handComputedPointsWithEveryFactor() {
        // skills (3·4 + 1·5)/(5·4) = 0.85; level gap 3 vs ideal 2 → 0.75; Berlin +1 vs New York −5 in
        // January → d 6, overlap 2 → 0.25; preference (rank 2 → 0.75, none → 0)/2 = 0.375; D–I
        // neighbours 0.5; different departments 1. Σ = 0.69375… → ⌊693.75 + 0.5⌋ = 694.
        let program = Program(
            start: ProgramDate("2027-01-15")!,
            people: [
                person(
                    "M", .mentor, level: 7, dept: "Eng", tz: "Europe/Berlin", languages: ["en", "de"],
                    expertise: ["swift": 4, "leadership": 5], style: .d),
                person(
                    "E", .mentee, level: 4, dept: "Sales", tz: "America/New_York",
                    goals: ["swift": 3, "leadership": 1], style: .i)
            ], preferences: [Preference(fromID: "E", toID: "M", rank: 2)])
        let i = MatchInstance(program: program)
        let f = i.factors("M", "E")
        #expect(f == Factors(skills: 0.85, level: 0.75, timezone: 0.25, preference: 0.375, style: 0.5, crossDepartment: 1))
        #expect(i.points("M", "E") == 694)
    }

    @Test func halfHourZoneAndMissingValues() {
        // No goals → skills 0; gap 1 → 0.75; Kolkata +5:30 vs UTC → d 5.5, 2.5/8; no ranks → 0;
        // blank style → 0.5; same department → 0. Σ = 0.16875 → 169.
        let program = Program(people: [
            person("M", .mentor, level: 5, tz: "Asia/Kolkata"),
            person("E", .mentee, level: 4, tz: "UTC+00:00")
        ])
        let i = MatchInstance(program: program)
        #expect(i.factors("M", "E") == Factors(skills: 0, level: 0.75, timezone: 0.3125, preference: 0, style: 0.5, crossDepartment: 0))
        #expect(i.points("M", "E") == 169)
    }

    @Test func timeZoneDistanceWrapsAroundTheDateLine() {
        // Auckland +13 (January, DST) vs Honolulu −10: |23| wraps to 1 h → 7/8. Skills 1, level 1,
        // preference (mentor ranks mentee 1 → 1; mentee ranks mentor 5 → 0)/2, D–S opposites 0, cross 1 → 863.
        var policy = Policy()
        policy.rules.maxTimezoneGapHours = 2
        let program = Program(
            start: ProgramDate("2027-01-15")!, policy: policy,
            people: [
                person("M", .mentor, level: 6, dept: "X", tz: "Pacific/Auckland", expertise: ["go": 5], style: .d),
                person("E", .mentee, level: 4, tz: "Pacific/Honolulu", goals: ["go": 2], style: .s)
            ], preferences: [Preference(fromID: "M", toID: "E", rank: 1), Preference(fromID: "E", toID: "M", rank: 5)])
        let i = MatchInstance(program: program)
        #expect(i.timezoneGap(i.mentors[0], i.mentees[0]) == 1)
        #expect(i.factors("M", "E") == Factors(skills: 1, level: 1, timezone: 0.875, preference: 0.5, style: 0, crossDepartment: 1))
        #expect(i.points("M", "E") == 863)
    }

    @Test func dstIsResolvedAtTheStartDate() {
        // London vs New York: 5 h in January, 4 h on 2027-03-20 (US on DST, UK not yet).
        func gap(_ start: String) -> Double {
            let i = MatchInstance(
                program: Program(
                    start: ProgramDate(start)!,
                    people: [
                        person("M", .mentor, level: 6, tz: "Europe/London"), person("E", .mentee, level: 4, tz: "America/New_York")
                    ]))
            return i.factors("M", "E").timezone
        }
        #expect(gap("2027-01-15") == 3.0 / 8)
        #expect(gap("2027-03-20") == 4.0 / 8)
    }

    @Test func styleCircle() {
        func style(_ a: DiscStyle?, _ b: DiscStyle?) -> Double {
            MatchInstance(program: Program(people: [person("M", .mentor, level: 6, style: a), person("E", .mentee, level: 4, style: b)]))
                .factors("M", "E").style
        }
        #expect(style(.c, .c) == 1)
        #expect(style(.c, .d) == 0.5)
        #expect(style(.i, .s) == 0.5)
        #expect(style(.i, .c) == 0)
        #expect(style(nil, .d) == 0.5)
    }

    @Test func preferenceRanksFadeByAQuarter() {
        func pref(_ rank: Int) -> Double {
            MatchInstance(
                program: Program(
                    people: [person("M", .mentor, level: 6), person("E", .mentee, level: 4)],
                    preferences: [Preference(fromID: "E", toID: "M", rank: rank)])
            ).factors("M", "E").preference
        }
        #expect(pref(1) == 0.5)
        #expect(pref(4) == 0.125)
        #expect(pref(5) == 0)
        #expect(pref(9) == 0)
    }

    @Test func pointsRoundHalfUp() {
        var policy = Policy()
        policy.weights.skills = 1
        policy.weights.level = 0
        policy.weights.timezone = 0
        policy.weights.preference = 0
        policy.weights.style = 0
        policy.weights.crossDepartment = 0
        let f = Factors(skills: 0.0125, level: 0, timezone: 0, preference: 0, style: 0, crossDepartment: 0)
        #expect(f.points(policy) == 13)  // 12.5 + 0.5 → 13
    }
}

@Suite struct EligibilityTests {
    func instance(
        _ people: [Person], policy: Policy = Policy(), exclusions: [Exclusion] = [],
        history: [PastPair] = [], rejected: Set<PairKey> = []
    ) -> MatchInstance {
        MatchInstance(
            program: Program(policy: policy, people: people, exclusions: exclusions, history: history),
            decisions: ReviewDecisions(rejected: rejected))
    }

    @Test func eachRuleExcludesWithItsReason() {
        var policy = Policy()
        policy.rules.minTenureMonths = 12
        let people = [
            person("M", .mentor, level: 7, tz: "UTC", languages: ["en"], tenure: 24),
            person("NEW", .mentor, level: 7, tenure: 6),
            person("BLANK", .mentor, level: 7),
            person("E", .mentee, level: 5),
            person("DE", .mentee, level: 5, languages: ["de"]),
            person("FAR", .mentee, level: 5, tz: "UTC+07:00"),
            person("JR", .mentee, level: 1),
            person("SR", .mentee, level: 7),
            person("REPORT", .mentee, level: 4, manager: "MID"),
            person("MID", .mentee, level: 5, manager: "M"),
            person("X", .mentee, level: 5),
            person("H", .mentee, level: 5),
            person("R", .mentee, level: 5)
        ]
        let i = instance(
            people, policy: policy, exclusions: [Exclusion(a: "X", b: "M")],
            history: [PastPair(mentorID: "M", menteeID: "H")], rejected: [PairKey(mentorID: "M", menteeID: "R")])
        #expect(i.why("M", "E") == nil)
        #expect(i.why("NEW", "E") == .mentorEligibility)
        #expect(i.why("BLANK", "E") == .mentorEligibility)
        #expect(i.why("M", "DE") == .noSharedLanguage)
        #expect(i.why("M", "FAR") == .timezoneGap)
        #expect(i.why("M", "JR") == .levelGap)
        #expect(i.why("M", "SR") == .levelGap)
        #expect(i.why("M", "REPORT") == .managementChain)  // two levels down
        #expect(i.why("M", "X") == .declaredConflict)
        #expect(i.why("M", "H") == .earlierPair)
        #expect(i.why("M", "R") == .rejectedInReview)
    }

    @Test func aManagerBelowTheMentorIsAlsoTheChain() {
        // The mentee manages the mentor's manager: excluded the other way round.
        let i = instance(
            [
                person("M", .mentor, level: 3, manager: "B"), person("B", .mentor, level: 2, manager: "E"),
                person("E", .mentee, level: 1)
            ],
            policy: {
                var p = Policy()
                p.rules.levelGap.min = 1
                return p
            }())
        #expect(i.why("M", "E") == .managementChain)
    }

    @Test func rulesCanBeSwitchedOff() {
        var policy = Policy()
        policy.rules.sharedLanguage = false
        policy.rules.maxTimezoneGapHours = nil
        policy.rules.excludeManagementChain = false
        policy.rules.noRepeatPairs = false
        let i = instance(
            [person("M", .mentor, level: 7, tz: "UTC+12"), person("E", .mentee, level: 5, tz: "UTC-11", languages: ["ja"], manager: "M")],
            policy: policy, history: [PastPair(mentorID: "M", menteeID: "E")])
        #expect(i.why("M", "E") == nil)
    }

    @Test func bothRolesMatchEitherWayButNeverThemselves() {
        let i = instance([person("B", .both, level: 5), person("M", .mentor, level: 7), person("E", .mentee, level: 3)])
        #expect(i.why("B", "B") == .samePerson)
        #expect(i.why("M", "B") == nil)
        #expect(i.why("B", "E") == nil)
    }

    @Test func optedOutPeopleHaveNoSlots() {
        let i = instance([person("M", .mentor, level: 7, optedOut: true), person("E", .mentee, level: 5)])
        #expect(i.mentors.isEmpty)
        #expect(i.mentees.count == 1)
    }

    @Test func capacityComesFromTheCellThenTheLevelThenTheDefault() {
        var policy = Policy()
        policy.rules.capacityByLevel = [7: 3]
        policy.rules.defaultCapacity = 1
        let i = instance(
            [person("A", .mentor, level: 7, capacity: 0), person("B", .mentor, level: 7), person("C", .mentor, level: 8)], policy: policy)
        #expect(i.capacity == [0, 3, 1])
    }
}
