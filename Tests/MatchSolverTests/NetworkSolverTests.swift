import Foundation
import MatchModel
import Testing
@testable import MatchSolver

/// The network engine must agree with brute force (and so with the GLPK
/// model) on every program without equity rules: same coverage, same total
/// points, same minimum points under the fairness objective.
@Suite struct NetworkSolverTests {
    func check(seed: UInt64, mentorsPerMentee: Int, candidates: Int) throws {
        var gen = RandomProgram(rng: SplitMix(state: seed &* 104_729 &+ UInt64(mentorsPerMentee)))
        var (program, decisions) = gen.make(mentorsPerMentee: mentorsPerMentee)
        program.policy.equity = Equity()
        let instance = MatchInstance(program: program, decisions: decisions)
        let oracle = BruteForce(instance: instance, candidates: CandidatePairs(instance)).solve()
        var solver = NetworkSolver(instance: instance)
        solver.candidatesPerMentee = candidates
        let outcome = try solver.solve()
        let context = "seed \(seed), k=\(mentorsPerMentee), K=\(candidates), objective \(program.policy.objective)"
        guard let oracle else {
            #expect(outcome.status == .infeasible, "\(context)")
            #expect(!outcome.conflicts.isEmpty, "\(context)")
            return
        }
        #expect(outcome.status == .optimal, "\(context)")
        #expect(outcome.objective.coverage == oracle.coverage, "\(context)")
        #expect(outcome.objective.totalPoints == oracle.total, "\(context)")
        if program.policy.objective == .coverageThenFairness {
            #expect(outcome.objective.minPoints == oracle.minimum, "\(context)")
        }
        #expect(outcome.eligiblePairs == CandidatePairs(instance).count)
        #expect(CohortCheck.violations(instance, pairs: outcome.pairs.map { ($0.mentor, $0.mentee) }).isEmpty, "\(context)")
    }

    /// One candidate per mentee forces pricing to do the work.
    @Test(arguments: 0..<250)
    func oneMentorPerMenteeWithPricing(seed: UInt64) throws { try check(seed: seed, mentorsPerMentee: 1, candidates: 1) }

    @Test(arguments: 0..<150)
    func twoMentorsPerMentee(seed: UInt64) throws { try check(seed: seed, mentorsPerMentee: 2, candidates: 2) }

    @Test(arguments: 0..<100)
    func generousCandidates(seed: UInt64) throws { try check(seed: seed, mentorsPerMentee: 1 + Int(seed % 2), candidates: 24) }

    @Test func mentorIndexFindsExactlyTheEligibleMentors() {
        for seed in 0..<200 as Range<UInt64> {
            var gen = RandomProgram(rng: SplitMix(state: seed))
            let (program, decisions) = gen.make(mentorsPerMentee: 1)
            let instance = MatchInstance(program: program, decisions: decisions)
            let index = MentorIndex(instance)
            for es in instance.mentees.indices {
                let direct = instance.mentors.indices.filter { instance.isEligible(mentor: $0, mentee: es) }
                #expect(index.eligibleMentors(of: es).sorted() == direct, "seed \(seed)")
            }
        }
    }
}

@Suite struct NetworkInterruptTests {
    /// Stopped at any point (Ctrl-C, time limit), the answer is a feasible
    /// cohort reported as `time_limit`, never a broken one.
    @Test(arguments: 0..<60)
    func aStopAtAnyPointLeavesAFeasibleCohort(seed: UInt64) throws {
        var gen = RandomProgram(rng: SplitMix(state: seed &* 7_777 &+ 1))
        var (program, decisions) = gen.make(mentorsPerMentee: 1 + Int(seed % 2))
        program.policy.equity = Equity()
        let instance = MatchInstance(program: program, decisions: decisions)
        let calls = Counter()
        var solver = NetworkSolver(instance: instance)
        solver.candidatesPerMentee = 1
        let stopAfter = Int(seed % 5)
        solver.shouldStop = { calls.next() > stopAfter }
        let outcome = try solver.solve()
        #expect([.optimal, .timeLimit, .infeasible].contains(outcome.status))
        #expect(CohortCheck.violations(instance, pairs: outcome.pairs.map { ($0.mentor, $0.mentee) }).isEmpty)
    }
}

final class Counter: @unchecked Sendable {
    private var n = 0
    func next() -> Int { n += 1; return n }
}
