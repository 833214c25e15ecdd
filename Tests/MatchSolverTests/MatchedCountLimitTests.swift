import MatchModel
import TestSupport
import Testing

@testable import MatchSolver

/// The largest number of matched mentees the access rules allow by counting alone: checked by
/// hand and against every choice of group counts on small random rules.
@Suite struct MatchedCountLimitTests {
    /// Groups of the given sizes over mentee slots 0..<Σ sizes.
    func rule(_ sizes: [Int], tolerance: Double) -> EquityMath.AccessRule {
        var next = 0
        let groups = sizes.enumerated().map { i, size in
            defer { next += size }
            return ("g\(i)", Array(next..<next + size))
        }
        return .init(label: "group_a", groups: groups, tolerance: tolerance)
    }

    @Test func toleranceZeroAllowsOnlyExactShares() {
        // 10 mentees in groups of 4 and 6: equal shares need A·4/10 and A·6/10 whole, so A ∈ {0, 5, 10}.
        let r = rule([4, 6], tolerance: 0)
        #expect(EquityMath.matchedCountLimit(mentees: 10, rules: [r], upTo: 9, canMatch: { _ in true }) == 5)
        #expect(EquityMath.matchedCountLimit(mentees: 10, rules: [r], upTo: 10, canMatch: { _ in true }) == 10)
        #expect(EquityMath.matchedCountLimit(mentees: 10, rules: [r], upTo: 4, canMatch: { _ in true }) == 0)
        // 293 mentees (a prime) in groups of 80 and 213: the empty cohort or everyone.
        #expect(EquityMath.matchedCountLimit(mentees: 293, rules: [rule([80, 213], tolerance: 0)], upTo: 238, canMatch: { _ in true }) == 0)
        // A mentee of the group of 4 who cannot be matched: 10 is out of reach as well.
        #expect(EquityMath.matchedCountLimit(mentees: 10, rules: [r], upTo: 10, canMatch: { $0 != 0 }) == 5)
    }

    @Test func rulesThatLeaveMenteesOutLimitNothing() {
        // Groups of 4 and 5 over 10 mentees (one without the attribute): no counting argument.
        let r = rule([4, 5], tolerance: 0)
        #expect(EquityMath.matchedCountLimit(mentees: 10, rules: [r], upTo: 7, canMatch: { _ in true }) == 7)
    }

    /// Against every vector of group counts: the largest A ≤ upTo for which counts a_g ≤ the
    /// group's matchable members exist that add up to A and meet every rule as the model states it.
    @Test(arguments: 0..<200)
    func agreesWithEveryChoiceOfCounts(seed: UInt64) {
        var rng = SplitMix(state: seed &* 2_654_435_761 &+ 17)
        let k = 2 + rng.below(2)
        let sizes = (0..<k).map { _ in 1 + rng.below(7) }
        let n = sizes.reduce(0, +)
        let tolerance = [0, 0.02, 0.05, 0.1, 0.25][rng.below(5)]
        let r = rule(sizes, tolerance: tolerance)
        let blocked = Set((0..<n).filter { _ in rng.below(6) == 0 })
        let upTo = rng.below(n + 1)
        let open = r.groups.map { $0.1.filter { !blocked.contains($0) }.count }
        func allowed(_ a: Int) -> Bool {
            var counts = [Int](repeating: 0, count: k)
            while true {
                if counts.reduce(0, +) == a
                    && counts.indices.allSatisfy({
                        EquityMath.meetsAccess(matchedInGroup: counts[$0], groupSize: sizes[$0], matched: a, mentees: n, tolerance: tolerance)
                    })
                {
                    return true
                }
                var i = 0
                while i < k && counts[i] == open[i] {
                    counts[i] = 0
                    i += 1
                }
                if i == k { return false }
                counts[i] += 1
            }
        }
        let expected = (0...upTo).last(where: allowed) ?? 0
        let got = EquityMath.matchedCountLimit(mentees: n, rules: [r], upTo: upTo, canMatch: { !blocked.contains($0) })
        #expect(got == expected, "seed \(seed): sizes \(sizes), tolerance \(tolerance), blocked \(blocked.sorted()), up to \(upTo)")
    }
}

/// In the model: a proven bound on the matched count, with a rule at tolerance 0 over groups of 1
/// and N − 1 mentees (shares equal only at 0 or N matched), leaves the matched count at 0.
@Suite struct MatchedCountInTheModelTests {
    @Test(arguments: 0..<40)
    func aProvenBoundBelowEveryoneLeavesOnlyTheEmptyCohort(seed: UInt64) throws {
        var gen = RandomProgram(rng: SplitMix(state: seed &* 97_531 &+ 3))
        var (program, decisions) = gen.make(mentorsPerMentee: 1)
        decisions.locked = []
        for (slot, i) in MatchInstance(program: program, decisions: decisions).mentees.enumerated() {
            program.people[i].attributes["g"] = slot == 0 ? "one" : "rest"
        }
        program.policy.equity = Equity()
        program.policy.equity.groupAccess = [.init(attribute: "g", tolerance: 0)]
        let instance = MatchInstance(program: program, decisions: decisions)
        let n = instance.mentees.count
        guard n >= 2 else { return }
        var options = Formulation.Options()
        options.matchedCountBound = n - 1
        let model = Formulation(instance: instance, candidates: CandidatePairs(instance), lockedPairs: [], options: options)
        let matched = try #require(model.program.variables.first { $0.name == "matched" }, "seed \(seed): no matched count")
        #expect(matched.upperBound == 0, "seed \(seed): \(n) mentees, matched count up to \(matched.upperBound)")
        let unbounded = Formulation(instance: instance, candidates: CandidatePairs(instance), lockedPairs: [], options: .init())
        let all = try #require(unbounded.program.variables.first { $0.name == "matched" })
        #expect(all.upperBound == 0 || all.upperBound == Double(n), "seed \(seed): only 0 or every mentee can be matched")
    }
}
