import GLPKEngine
import MatchModel
import Optimization
import TestSupport
import Testing

@testable import MatchSolver

/// The most coverage by mentee-type counts (``CoverageByCounts``) against brute force on small
/// programs whose access and reach rules bind (tolerance 0, groups of one, department caps,
/// locks and rejections included; seeds replayable).
@Suite struct CoverageByCountsTests {
    /// Settled: the bound is brute force's most coverage and the cohort keeps every rule with
    /// it. Stopped after one or two masters: the bound still holds for brute force's optimum.
    @Test(arguments: 0..<3)
    func theMostCoverageIsBruteForces(block: Int) throws {
        var settled = 0, binding = 0
        for seed in UInt64(block * 300)..<UInt64(block * 300 + 300) {
            let (program, decisions) = BindingProgram.make(state: seed &* 86_028_121 &+ 13)
            let instance = MatchInstance(program: program, decisions: decisions)
            guard let rows = SideRow.rows(instance), !rows.isEmpty else { continue }
            let candidates = CandidatePairs(instance)
            let repair = RuleRepair.overEveryCandidate(instance, rows: rows, candidates: candidates)
            let locks = instance.resolveLocks().pairs
            let oracle = BruteForce(instance: instance, candidates: candidates).solve()
            let context = "seed \(seed), \(program.policy.equity), \(locks.count) locks"
            for rounds in [1, 2, 300] {
                var search = CoverageByCounts(repair: repair, engine: GLPKEngine())
                search.maxRounds = rounds
                guard let r = try search.solve(locks: locks, start: nil, towards: nil, seconds: nil, stop: { false }) else {
                    // Only programs it does not take (more than one mentor a mentee), or where
                    // nothing keeps the rules (locks).
                    #expect(instance.menteeLimit.contains { $0 > 1 } || oracle == nil, "\(context): no answer")
                    break
                }
                guard let oracle else {
                    // Nothing keeps every rule (locks): no cohort may be claimed.
                    #expect(
                        r.cohort == nil,
                        "\(context): a cohort where brute force finds none: \(r.cohort.map { c in CohortCheck.violations(instance, pairs: c.map { ($0.mentor, $0.mentee) }) } ?? []), locks \(locks), limits \(instance.menteeLimit), \(instance.resolveLocks().problems)"
                    )
                    break
                }
                #expect(r.coverageBound >= oracle.coverage, "\(context), \(rounds) rounds: bound \(r.coverageBound) < \(oracle.coverage)")
                guard let cohort = r.cohort else {
                    #expect(rounds < 300, "\(context): not settled in 300 rounds")
                    continue
                }
                let pairs = cohort.map { ($0.mentor, $0.mentee) }
                #expect(CohortCheck.violations(instance, pairs: pairs).isEmpty, "\(context): \(CohortCheck.violations(instance, pairs: pairs))")
                #expect(CohortCheck.objective(instance, pairs: pairs).coverage == r.coverageBound, "\(context): cohort short of its bound")
                #expect(r.coverageBound == oracle.coverage, "\(context): settled at \(r.coverageBound), brute force \(oracle.coverage)")
                if rounds == 300 {
                    settled += 1
                    if r.rounds > 1 { binding += 1 }
                }
            }
        }
        #expect(settled > 120, "only \(settled) programs settled")
        #expect(binding > 5, "only \(binding) programs needed a cut")
    }
}
