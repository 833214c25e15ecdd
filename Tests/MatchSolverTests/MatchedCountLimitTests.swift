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

    @Test func theStepIsTheGreatestCommonDivisorOfTheAllowedCounts() {
        // 10 mentees in groups of 4 and 6 at tolerance 0: 5 and 10 are allowed, in steps of 5.
        let r = rule([4, 6], tolerance: 0)
        #expect(EquityMath.matchedCountStep(mentees: 10, rules: [r], upTo: 10, canMatch: { _ in true }) == 5)
        #expect(EquityMath.matchedCountStep(mentees: 10, rules: [r], upTo: 5, canMatch: { _ in true }) == 5)
        // Nothing positive allowed below 5: no step to count in.
        #expect(EquityMath.matchedCountStep(mentees: 10, rules: [r], upTo: 4, canMatch: { _ in true }) == 1)
        // 786 mentees, 252 in one group: multiples of 786 / gcd(786, 252) = 131.
        #expect(EquityMath.matchedCountStep(mentees: 786, rules: [rule([252, 534], tolerance: 0)], upTo: 673, canMatch: { _ in true }) == 131)
        // A tolerance that lets any count through: steps of one.
        #expect(EquityMath.matchedCountStep(mentees: 10, rules: [rule([4, 6], tolerance: 0.1)], upTo: 10, canMatch: { _ in true }) == 1)
        // Two partitions at tolerance 0 over 12 mentees (groups 4 + 8: steps of 3; 6 + 6: steps of 2): steps of 6.
        #expect(
            EquityMath.matchedCountStep(
                mentees: 12, rules: [rule([4, 8], tolerance: 0), rule([6, 6], tolerance: 0)], upTo: 12, canMatch: { _ in true }) == 6)
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
        // The step: every allowed positive count up to the limit is a multiple of it, and it is the largest such.
        let positive = expected > 0 ? (1...expected).filter(allowed) : []
        let step = EquityMath.matchedCountStep(mentees: n, rules: [r], upTo: expected, canMatch: { !blocked.contains($0) })
        #expect(positive.allSatisfy { $0 % step == 0 }, "seed \(seed): \(positive) not all multiples of \(step)")
        #expect(
            positive.isEmpty ? step == 1 : !stride(from: step + 1, through: positive[0], by: 1).contains { d in positive.allSatisfy { $0 % d == 0 } },
            "seed \(seed): \(positive), step \(step)")
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

/// In the model: with a rule at tolerance 0 over groups of 2 and N − 2 mentees (N even), only 0,
/// N/2 or N matched keep it; the model counts the matched mentees in steps of N/2, and the auto
/// path still finds brute force's optimum, which is a point of the model with its steps filled.
@Suite struct MatchedCountInStepsTests {
    @Test(arguments: 0..<3)
    func stepsOfHalfTheMenteesAgreeWithBruteForce(block: Int) throws {
        var stepped = 0, matchedHalf = 0
        for seed in UInt64(block * 200)..<UInt64(block * 200 + 200) {
            var gen = RandomProgram(rng: SplitMix(state: seed &* 7_919 &+ 11))
            var (program, decisions) = gen.make(mentorsPerMentee: 1)
            decisions.locked = []
            for (slot, i) in MatchInstance(program: program, decisions: decisions).mentees.enumerated() {
                program.people[i].attributes["g"] = slot < 2 ? "pair" : "rest"
            }
            program.policy.equity = Equity()
            program.policy.equity.groupAccess = [.init(attribute: "g", tolerance: 0)]
            program.policy.objective = .coverageThenScore
            let instance = MatchInstance(program: program, decisions: decisions)
            let n = instance.mentees.count
            guard n >= 4, n % 2 == 0 else { continue }
            let candidates = CandidatePairs(instance)
            let model = Formulation(instance: instance, candidates: candidates, lockedPairs: [], options: .init())
            if let steps = model.program.variables.first(where: { $0.name == "matched_steps" }) {
                stepped += 1
                #expect(model.matchedSteps?.step == n / 2, "seed \(seed): \(n) mentees, steps of \(model.matchedSteps?.step ?? 0)")
                #expect(steps.upperBound <= 2, "seed \(seed)")
            }
            let oracle = BruteForce(instance: instance, candidates: candidates).solve()
            let (outcome, _) = try solveAuto(instance)
            outcome.expectMatches(oracle, instance, "steps seed \(seed)")
            guard outcome.status == .optimal, !outcome.pairs.isEmpty else { continue }
            matchedHalf += outcome.objective.matchedMentees == n / 2 ? 1 : 0
            let chosen = try outcome.pairs.map { try #require(candidates.index(mentor: $0.mentor, mentee: $0.mentee)) }
            let v = model.values(choosing: chosen, candidates: candidates)
            #expect(model.program.isFeasible(v), "seed \(seed): the optimum is not a point of its model")
        }
        #expect(stepped > 10, "only \(stepped) programs counted their matched mentees in steps")
        #expect(matchedHalf > 0, "no program's optimum matched exactly half of its mentees")
    }
}

/// The flows that bound what groups can have at once, against every assignment of small random
/// programs' mentees to their mentors (or to none) within the mentors' capacities.
@Suite struct MatchableCountTests {
    @Test(arguments: 0..<60)
    func flowsAgreeWithEveryAssignment(seed: UInt64) {
        var gen = RandomProgram(rng: SplitMix(state: seed &* 31_337 &+ 5))
        var (program, decisions) = gen.make(mentorsPerMentee: 1)
        decisions.locked = []
        let instance = MatchInstance(program: program, decisions: decisions)
        let candidates = CandidatePairs(instance)
        let pairs = (0..<candidates.count).map { (mentor: Int(candidates.mentor[$0]), mentee: Int(candidates.mentee[$0])) }
        let count = MatchableCount(instance: instance, pairs: pairs)
        let n = instance.mentees.count
        guard n >= 2 else { return }
        var rng = SplitMix(state: seed)
        let split = 1 + rng.below(n - 1)
        let groups = [Array(0..<split), Array(split..<n)]
        // Every assignment: each mentee to one of its mentors or to none, capacities kept.
        var best = [Int](repeating: 0, count: 1)
        var reachable = Set<[Int]>()  // (matched in group 0, matched in group 1)
        var load = [Int](repeating: 0, count: instance.mentors.count)
        var matched = [0, 0]
        func visit(_ e: Int) {
            if e == n {
                reachable.insert(matched)
                best[0] = max(best[0], matched[0] + matched[1])
                return
            }
            visit(e + 1)
            let g = e < split ? 0 : 1
            for p in pairs where p.mentee == e && load[p.mentor] < instance.capacity[p.mentor] {
                load[p.mentor] += 1
                matched[g] += 1
                visit(e + 1)
                matched[g] -= 1
                load[p.mentor] -= 1
            }
        }
        visit(0)
        #expect(count.most(Array(0..<n)) == best[0], "seed \(seed)")
        #expect(count.most(groups[0]) == reachable.map { $0[0] }.max(), "seed \(seed)")
        for a in 0...split {
            for b in 0...(n - split) {
                for total in [a + b, a + b + 1] {
                    let expected = reachable.contains { $0[0] >= a && $0[1] >= b && $0[0] + $0[1] >= total }
                    #expect(count.reaches(groups: groups, least: [a, b], total: total) == expected, "seed \(seed): \(a), \(b), \(total)")
                }
            }
        }
    }
}
