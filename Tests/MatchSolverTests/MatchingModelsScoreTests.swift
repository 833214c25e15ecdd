import Foundation
import GLPKEngine
import MatchModel
import TestSupport
import Testing

@testable import MatchSolver

/// SPEC 9 by hand: criteria, external scores, the floor, tiers and blocking pairs on
/// programs small enough to compute on paper.
@Suite struct MatchingModelsScoreTests {
    /// The pair of `PairScoreTests.halfHourZoneAndMissingValues`: six factors summing to 0.16875 (169 points).
    func pair(_ policy: Policy, mentorCells: [String: String] = [:], menteeCells: [String: String] = [:], score: Double? = nil) -> MatchInstance {
        var m = person("M", .mentor, level: 5, tz: "Asia/Kolkata")
        var e = person("E", .mentee, level: 4, tz: "UTC+00:00")
        m.criteriaCells = mentorCells
        e.criteriaCells = menteeCells
        var program = Program(policy: policy, people: [m, e])
        if let score { program.scores[PairKey(mentorID: "M", menteeID: "E")] = score }
        return MatchInstance(program: program)
    }

    var withCriteria: Policy {
        var p = Policy()
        p.criteria = [
            Criterion(name: "interests", column: "Interests", kind: .overlap, weight: 0.2),
            Criterion(name: "track", column: "track", kind: .same, weight: 0.05),
            Criterion(name: "office", column: "office", kind: .different, weight: 0.1)
        ]
        p.externalScores = ExternalScores(weight: 0.3, missing: 0.25)
        return p
    }

    @Test func criteriaAndExternalScoresContinueTheSum() {
        // interests {chess, go, hiking} vs {go, chess, tennis}: 2 shared of 4 → 0.5 (·0.2 = 0.1); track "IC" = "ic"
        // → 1 (·0.05); office "Pune" vs "pune" → not different → 0; external 0.8 (·0.3 = 0.24).
        // 0.16875 + 0.1 + 0.05 + 0 + 0.24 = 0.55875 → ⌊558.75 + 0.5⌋ = 559.
        let i = pair(
            withCriteria, mentorCells: ["interests": "Chess; go ;hiking", "track": "IC", "office": "Pune"],
            menteeCells: ["interests": "GO;chess;tennis", "track": "ic", "office": "pune"], score: 0.8)
        let f = i.factors("M", "E")
        #expect(f.extra.map(\.name) == ["interests", "track", "office", "external"])
        #expect(f.extra.map(\.value) == [0.5, 1, 0, 0.8])
        #expect(i.points("M", "E") == 559)
        PairScannerTests.expectAgreement(i, "criteria by hand")
    }

    @Test func emptyCellsAndMissingScores() {
        // Both interests empty → 0; one track empty → 0; offices differ → 1 (·0.1); no score → missing 0.25 (·0.3 = 0.075).
        // 0.16875 + 0.1 + 0.075 = 0.34375 → ⌊343.75 + 0.5⌋ = 344.
        let i = pair(withCriteria, mentorCells: ["track": "ic", "office": "Berlin"], menteeCells: ["office": "Pune"])
        #expect(i.factors("M", "E").extra.map(\.value) == [0, 0, 1, 0.25])
        #expect(i.points("M", "E") == 344)
    }

    @Test func pointsMayExceedAThousandWhenWeightsSumAboveOne() {
        var p = Policy()
        p.criteria = [Criterion(name: "interests", column: "interests", kind: .overlap, weight: 2)]
        let i = pair(p, mentorCells: ["interests": "go"], menteeCells: ["interests": "go"])
        #expect(i.points("M", "E") == 2_169)  // 0.16875 + 2 → 2168.75 + 0.5
        PairScannerTests.expectAgreement(i, "weights above one")
    }

    @Test func theFloorMakesWeakPairsIneligible() {
        var p = Policy()
        p.rules.minPairPoints = 170
        #expect(pair(p).why("M", "E") == .belowFloor)
        p.rules.minPairPoints = 169
        #expect(pair(p).why("M", "E") == nil)
    }

    @Test func tiersDecideEligibilityAndTheIdealGap() {
        var policy = Policy()
        policy.weights = Weights()
        policy.tiers = [
            Tier(name: "peer", levelGapMin: 0, levelGapMax: 1, levelGapIdeal: 0),
            Tier(name: "senior", levelGapMin: 2, levelGapMax: 6, levelGapIdeal: 3, minTenureMonths: 24)
        ]
        let program = Program(
            policy: policy,
            people: [
                person("M", .mentor, level: 8, tenure: 12), person("S", .mentor, level: 8, tenure: 30),
                person("P", .mentee, level: 7), person("Q", .mentee, level: 5), person("R", .mentee, level: 1)
            ])
        let i = MatchInstance(program: program)
        #expect(i.why("M", "P") == nil)  // gap 1: peer, no tenure needed
        #expect(i.factors("M", "P").level == 0.75)  // |1 − 0| / 4 off the peer ideal
        #expect(i.why("M", "Q") == .mentorEligibility)  // gap 3: senior, 12 months < 24
        #expect(i.why("S", "Q") == nil)
        #expect(i.factors("S", "Q").level == 1)  // the senior ideal 3
        #expect(i.why("S", "R") == .levelGap)  // gap 7: no tier
        #expect(i.menteeLimit == [2, 2, 2])
        PairScannerTests.expectAgreement(i, "tiers by hand")
    }

    /// Mentors A and B with one place each, mentees X and Y. X and Y rank A first; A ranks Y first, B ranks X
    /// first. {A–X, B–Y} has the most points, but A and Y prefer each other: one blocking pair.
    func crossedPreferences(stable: Bool) -> MatchInstance {
        var policy = Policy()
        policy.rules.stable = stable
        policy.rules.defaultCapacity = 1
        let people = [
            person("A", .mentor, level: 5, expertise: ["go": 5]), person("B", .mentor, level: 5, expertise: ["rust": 5]),
            person("X", .mentee, level: 3, goals: ["go": 3]), person("Y", .mentee, level: 3, goals: ["rust": 3])
        ]
        let ranks = [("X", "A", 1), ("X", "B", 2), ("Y", "A", 1), ("Y", "B", 2), ("A", "Y", 1), ("A", "X", 2), ("B", "X", 1), ("B", "Y", 2)]
        return MatchInstance(
            program: Program(policy: policy, people: people, preferences: ranks.map { Preference(fromID: $0.0, toID: $0.1, rank: $0.2) }))
    }

    @Test func blockingPairsAreCountedAndForbidden() throws {
        let free = crossedPreferences(stable: false)
        let best = try LexicographicSolver(instance: free, candidates: CandidatePairs(free), engine: GLPKEngine()).solve()
        let chosen = Set(best.pairs.map { "\(free.people[free.mentors[$0.mentor]].id)\(free.people[free.mentees[$0.mentee]].id)" })
        #expect(chosen == ["AX", "BY"])
        let blocking = Stability(free).blockingPairs(best.pairs.map { ($0.mentor, $0.mentee) })
        #expect(blocking.map { "\(free.people[free.mentors[$0.mentor]].id)\(free.people[free.mentees[$0.mentee]].id)" } == ["AY"])

        let stable = crossedPreferences(stable: true)
        let kept = try LexicographicSolver(instance: stable, candidates: CandidatePairs(stable), engine: GLPKEngine()).solve()
        #expect(kept.status == .optimal)
        let pairs = Set(kept.pairs.map { "\(stable.people[stable.mentors[$0.mentor]].id)\(stable.people[stable.mentees[$0.mentee]].id)" })
        #expect(pairs == ["AY", "BX"])
        #expect(kept.objective.totalPoints < best.objective.totalPoints)
        // An empty cohort blocks on every pair ranked both ways: four of them.
        #expect(Stability(stable).blockingPairs([]).count == 4)
    }

    @Test func stabilityThatCannotHoldIsInfeasibleAndNamed() throws {
        // Lock A–X: then A and Y block, whatever else is chosen.
        let instance = crossedPreferences(stable: true)
        let locked = MatchInstance(program: instance.program, decisions: ReviewDecisions(locked: [PairKey(mentorID: "A", menteeID: "X")]))
        let r = try LexicographicSolver(instance: locked, candidates: CandidatePairs(locked), engine: GLPKEngine()).solve()
        #expect(r.status == .infeasible)
        #expect(r.conflicts.first?.contains("rules.stable") == true, "\(r.conflicts)")
    }
}
