import Foundation
import GLPKEngine
import MatchModel
import Optimization
import Testing
@testable import MatchSolver

@Suite struct SolverAgainstBruteForceTests {
    func check(seed: UInt64, mentorsPerMentee: Int, columnGeneration: Bool = false) throws {
        var gen = RandomProgram(rng: SplitMix(state: seed &* 7919 &+ UInt64(mentorsPerMentee)))
        var (program, decisions) = gen.make(mentorsPerMentee: mentorsPerMentee)
        if columnGeneration { program.policy.objective = .coverageThenScore }
        let instance = MatchInstance(program: program, decisions: decisions)
        let candidates = CandidatePairs(instance)
        let oracle = BruteForce(instance: instance, candidates: candidates).solve()
        var solver = LexicographicSolver(instance: instance, candidates: candidates, engine: GLPKEngine())
        if columnGeneration {
            solver.columnGenerationAbove = 0
            solver.candidatesPerMentee = 1
        }
        let outcome = try solver.solve()
        let context = "seed \(seed), k=\(mentorsPerMentee), objective \(program.policy.objective), equity \(program.policy.equity)"
        guard let oracle else {
            #expect(outcome.status == .infeasible, "\(context): brute force found no cohort")
            #expect(!outcome.conflicts.isEmpty)
            return
        }
        #expect(outcome.status == .optimal, "\(context)")
        #expect(outcome.objective.coverage == oracle.coverage, "\(context)")
        #expect(outcome.objective.totalPoints == oracle.total, "\(context)")
        if program.policy.objective == .coverageThenFairness {
            #expect(outcome.objective.minPoints == oracle.minimum, "\(context)")
        }
        let pairs = outcome.pairs.map { ($0.mentor, $0.mentee) }
        #expect(CohortCheck.violations(instance, pairs: pairs).isEmpty, "\(context)")
    }

    @Test(arguments: 0..<400)
    func oneMentorPerMentee(seed: UInt64) throws { try check(seed: seed, mentorsPerMentee: 1) }

    @Test(arguments: 0..<200)
    func twoMentorsPerMentee(seed: UInt64) throws { try check(seed: seed, mentorsPerMentee: 2) }

    /// Column generation (one candidate per mentee, so pricing and reduced-cost
    /// fixing do all the work) must reach the same optimum.
    @Test(arguments: 0..<300)
    func columnGenerationAgrees(seed: UInt64) throws {
        try check(seed: seed &+ 10_000, mentorsPerMentee: 1 + Int(seed % 2), columnGeneration: true)
    }
}
