import Foundation
import GLPKEngine
import MatchModel
import MentorMatch
import TestSupport
import Testing

@testable import MatchSolver

@Suite struct MatchingModelsTests {
    /// Every pair the reference calls eligible, with the reference's points: the oracle's candidates.
    static func referenceCandidates(_ instance: MatchInstance) -> CandidatePairs {
        var pairs: [(mentor: Int, mentee: Int)] = []
        for es in instance.mentees.indices {
            for ms in instance.mentors.indices where instance.isEligible(mentor: ms, mentee: es) { pairs.append((ms, es)) }
        }
        return CandidatePairs(instance, only: pairs)
    }

    @Test func theScannerAgreesWithTheReference() {
        for seed in 0..<400 as Range<UInt64> {
            var gen = RandomModels(rng: SplitMix(state: seed &* 2_654_435_761 &+ 5))
            let (program, decisions) = gen.make(seed: seed)
            PairScannerTests.expectAgreement(MatchInstance(program: program, decisions: decisions), "models seed \(seed)")
        }
    }

    /// GLPK's lexicographic solve and `propose` (whichever engine it picks) against brute force.
    @Test(arguments: 0..<6)
    func everyEngineAgreesWithBruteForce(block: Int) throws {
        var solved = 0, infeasible = 0
        for seed in UInt64(block * 60)..<UInt64(block * 60 + 60) {
            var gen = RandomModels(rng: SplitMix(state: seed &* 7_919 &+ 101))
            let (program, decisions) = gen.make(seed: seed)
            let instance = MatchInstance(program: program, decisions: decisions)
            let oracle = BruteForce(instance: instance, candidates: Self.referenceCandidates(instance)).solve()
            let p = program.policy
            let context =
                "models seed \(seed): objective \(p.objective), tiers \(p.tiers.count), floor \(p.rules.minPairPoints), stable \(p.rules.stable), criteria \(p.criteria.count), scores \(p.externalScores != nil), level access \(p.equity.levelAccess != nil), equity \(p.equity)"
            let lexicographic = try LexicographicSolver(instance: instance, candidates: CandidatePairs(instance), engine: GLPKEngine()).solve()
            lexicographic.expectMatches(oracle, instance, context + " [glpk]")
            var propose = Propose()
            propose.decisions = decisions
            let proposal = try propose.run(program: program).proposal
            if let oracle {
                #expect(proposal.status == .optimal, "\(context) [propose]")
                for stage in p.objective.stages {
                    #expect(proposal.objective.value(stage) == oracle.value(stage), "\(context) [propose]: \(stage.rawValue)")
                }
                solved += 1
            } else {
                #expect(proposal.status == .infeasible, "\(context) [propose]")
                infeasible += 1
            }
        }
        #expect(solved > 30, "solved \(solved), infeasible \(infeasible)")
    }

    /// The network engine's stage gains (coverage and mentors used as first places worth more, in
    /// either order, or absent) against brute force, with per-mentee limits, floors, criteria and scores.
    @Test(arguments: 0..<3)
    func theNetworkAgreesOnStageLists(block: Int) throws {
        var compared = 0
        for seed in UInt64(block * 100)..<UInt64(block * 100 + 100) {
            var gen = RandomModels(rng: SplitMix(state: seed &* 48_271 &+ 9))
            var (program, decisions) = gen.make(seed: seed)
            program.policy.equity = Equity()
            program.policy.tiers = []
            program.policy.rules.stable = false
            let lists: [Objective] = [
                Objective(stages: [.coverage, .mentorsUsed]), Objective(stages: [.mentorsUsed, .coverage]), Objective(stages: [.mentorsUsed]),
                Objective(stages: [.totalPoints]), .coverageThenScore
            ]
            program.policy.objective = lists[Int(seed % UInt64(lists.count))]
            let instance = MatchInstance(program: program, decisions: decisions)
            let oracle = BruteForce(instance: instance, candidates: Self.referenceCandidates(instance)).solve()
            var network = NetworkSolver(instance: instance)
            let outcome = try network.solve()
            outcome.expectMatches(oracle, instance, "network seed \(seed), objective \(program.policy.objective)")
            compared += 1
        }
        #expect(compared == 100)
    }

    /// `rules.stable` answered from the network's optimum without it when that has no blocking pair
    /// (else by GLPK): both against brute force.
    @Test func stabilityFromTheRelaxationAgreesWithBruteForce() throws {
        var fromRelaxation = 0, byGLPK = 0
        for seed in 0..<150 as Range<UInt64> {
            var gen = RandomModels(rng: SplitMix(state: seed &* 92_821 &+ 29))
            var (program, decisions) = gen.make(seed: seed)
            program.policy.equity = Equity()
            program.policy.rules.stable = true
            if program.preferences.isEmpty || seed % 2 == 0 {
                // Both ways, as RandomModels does for stable programs.
                let mentors = program.people.filter { $0.role.canMentor }.map(\.id),
                    mentees = program.people.filter { $0.role.canBeMentored }.map(\.id)
                for (i, e) in mentees.enumerated() {
                    for (r, m) in mentors.enumerated() where (i + r) % 2 == 0 {
                        program.preferences.append(Preference(fromID: e, toID: m, rank: 1 + r))
                        program.preferences.append(Preference(fromID: m, toID: e, rank: 1 + (i + r) % 3))
                    }
                }
            }
            program.policy.objective = .coverageThenScore
            let instance = MatchInstance(program: program, decisions: decisions)
            let oracle = BruteForce(instance: instance, candidates: Self.referenceCandidates(instance)).solve()
            var propose = Propose()
            propose.decisions = decisions
            let proposal = try propose.run(program: program).proposal
            let context = "stable seed \(seed)"
            if let oracle {
                #expect(proposal.status == .optimal && proposal.objective.coverage == oracle.coverage, "\(context)")
                #expect(proposal.objective.totalPoints == oracle.total, "\(context)")
                #expect(proposal.metrics.blockingPairs == 0, "\(context)")
            } else {
                #expect(proposal.status == .infeasible, "\(context)")
            }
            if proposal.stages.contains(where: { $0.name.contains("no blocking pair at the optimum") }) { fromRelaxation += 1 } else { byGLPK += 1 }
        }
        #expect(fromRelaxation > 10 && byGLPK > 10, "from the relaxation \(fromRelaxation), by GLPK \(byGLPK)")
    }

    /// The stabilizing walk from the optimum without stability: whenever it ends, its cohort has no
    /// blocking pair, keeps every rule and locks, and never beats the brute-force optimum.
    @Test func theStabilizingWalkEndsInAStableCohort() throws {
        var walked = 0, stabilized = 0
        for seed in 0..<400 as Range<UInt64> {
            var gen = RandomModels(rng: SplitMix(state: seed &* 15_485_863 &+ 7))
            var (program, decisions) = gen.make(seed: seed)
            program.policy.equity = Equity()
            program.policy.objective = .coverageThenScore
            let mentors = program.people.filter { $0.role.canMentor }.map(\.id), mentees = program.people.filter { $0.role.canBeMentored }.map(\.id)
            for (i, e) in mentees.enumerated() {
                for (r, m) in mentors.enumerated() where (i * 3 + r) % 3 != 0 {
                    program.preferences.append(Preference(fromID: e, toID: m, rank: 1 + (r + i) % 4))
                    program.preferences.append(Preference(fromID: m, toID: e, rank: 1 + (i + 2 * r) % 3))
                }
            }
            program.policy.rules.stable = false
            let relaxed = MatchInstance(program: program, decisions: decisions)
            guard relaxed.resolveLocks().problems.isEmpty else { continue }
            var network = NetworkSolver(instance: relaxed)
            let start = program.policy.tiers.isEmpty ? try network.solve() : try TieredNetwork(instance: relaxed).solve()
            guard start.status == .optimal else { continue }
            program.policy.rules.stable = true
            let instance = MatchInstance(program: program, decisions: decisions)
            let stability = Stability(instance)
            guard !stability.blockingPairs(start.pairs.map { ($0.mentor, $0.mentee) }).isEmpty else { continue }
            walked += 1
            guard let cohort = stability.stabilized(start.pairs, locked: instance.resolveLocks().pairs) else { continue }
            stabilized += 1
            let pairs = cohort.map { ($0.mentor, $0.mentee) }
            #expect(stability.blockingPairs(pairs).isEmpty, "seed \(seed)")
            #expect(CohortCheck.violations(instance, pairs: pairs).isEmpty, "seed \(seed): \(CohortCheck.violations(instance, pairs: pairs))")
            if let oracle = BruteForce(instance: instance, candidates: Self.referenceCandidates(instance)).solve() {
                let o = CohortCheck.objective(instance, pairs: pairs)
                #expect((o.coverage, o.totalPoints) <= (oracle.coverage, oracle.total), "seed \(seed)")
            }
        }
        #expect(walked > 30 && stabilized * 10 >= walked * 9, "walked \(walked), stabilized \(stabilized)")
    }

    /// Tiers as one flow (``TieredNetwork``) against brute force: limits per tier, locks, stage lists.
    @Test(arguments: 0..<3)
    func theTieredNetworkAgreesWithBruteForce(block: Int) throws {
        var compared = 0
        for seed in UInt64(block * 100)..<UInt64(block * 100 + 100) {
            var gen = RandomModels(rng: SplitMix(state: seed &* 69_621 &+ 17))
            var (program, decisions) = gen.make(seed: seed)
            program.policy.equity = Equity()
            program.policy.rules.stable = false
            program.policy.tiers = [
                Tier(name: "peer", levelGapMin: -1, levelGapMax: 1, levelGapIdeal: 0),
                Tier(name: "senior", levelGapMin: 2, levelGapMax: 5, minTenureMonths: seed % 2 == 0 ? 12 : nil)
            ]
            let lists: [Objective] = [
                .coverageThenScore, Objective(stages: [.coverage, .mentorsUsed]), Objective(stages: [.mentorsUsed, .coverage]),
                Objective(stages: [.totalPoints])
            ]
            program.policy.objective = lists[Int(seed % UInt64(lists.count))]
            #expect(TieredNetwork.supports(program.policy))
            let instance = MatchInstance(program: program, decisions: decisions)
            let oracle = BruteForce(instance: instance, candidates: Self.referenceCandidates(instance)).solve()
            let outcome = try TieredNetwork(instance: instance).solve()
            outcome.expectMatches(oracle, instance, "tiered seed \(seed), objective \(program.policy.objective), locks \(decisions.locked)")
            compared += 1
        }
        #expect(compared == 100)
    }
}
