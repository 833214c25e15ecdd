import Foundation
import GLPKEngine
import MatchModel
import MentorMatch
import Testing

@testable import MatchSolver

/// SPEC 9's additions, drawn at random onto a small random program: per-mentee
/// limits, a floor, criteria, external scores, tiers, stability, level access and
/// objective stage lists — alone and combined.
struct RandomModels {
    var rng: SplitMix

    static let objectives: [Objective] = [
        .coverageThenScore, .coverageThenFairness, Objective(stages: [.coverage, .mentorsUsed]),
        Objective(stages: [.mentorsUsed, .coverage]), Objective(stages: [.coverage, .minPoints, .mentorsUsed]),
        Objective(stages: [.minPoints, .coverage]), Objective(stages: [.coverage, .mentorsUsed, .minPoints])
    ]

    mutating func make(seed: UInt64) -> (Program, ReviewDecisions) {
        var base = RandomProgram(rng: rng)
        var (program, decisions) = base.make(mentorsPerMentee: 1 + rng.below(2))
        var policy = program.policy
        let mentorIDs = program.people.filter { $0.role.canMentor }.map(\.id)
        let menteeIDs = program.people.filter { $0.role.canBeMentored }.map(\.id)
        // Each addition on its own in a quarter to a half of the programs.
        if rng.below(3) == 0 {
            for i in program.people.indices where rng.below(2) == 0 { program.people[i].mentorLimit = 1 + rng.below(3) }
        }
        if rng.below(3) == 0 { policy.rules.minPairPoints = [150, 300, 400][rng.below(3)] }
        if rng.below(3) == 0 {
            policy.criteria = [
                Criterion(name: "interests", column: "Interests", kind: .overlap, weight: [0.1, 0.4][rng.below(2)]),
                Criterion(name: "track", column: "track", kind: rng.below(2) == 0 ? .same : .different, weight: 0.05)
            ]
            let items = ["chess", "Go", "hiking", " go "]
            for i in program.people.indices {
                let chosen = items.filter { _ in rng.below(2) == 0 }
                if !chosen.isEmpty { program.people[i].criteriaCells["interests"] = chosen.joined(separator: ";") }
                let track = ["ic", "IC", "manager", ""][rng.below(4)]
                if !track.isEmpty { program.people[i].criteriaCells["track"] = track }
            }
        }
        if rng.below(3) == 0 {
            policy.externalScores = ExternalScores(weight: 0.3, missing: [0, 0.5][rng.below(2)])
            for m in mentorIDs {
                for e in menteeIDs where rng.below(3) == 0 {
                    program.scores[PairKey(mentorID: m, menteeID: e)] = [0, 0.25, 0.7, 1][rng.below(4)]
                }
            }
        }
        if rng.below(3) == 0 {
            policy.tiers = [
                Tier(name: "peer", levelGapMin: 0, levelGapMax: 1, levelGapIdeal: 0),
                Tier(name: "senior", levelGapMin: 2, levelGapMax: 5, minTenureMonths: rng.below(2) == 0 ? 12 : nil)
            ]
        }
        if rng.below(3) == 0 {
            policy.rules.stable = true
            // Ranks both ways, so blocking pairs exist to forbid.
            for e in menteeIDs {
                for (r, m) in mentorIDs.shuffled(using: &rng).prefix(1 + rng.below(3)).enumerated() {
                    program.preferences.append(Preference(fromID: e, toID: m, rank: r + 1))
                }
            }
            for m in mentorIDs {
                for (r, e) in menteeIDs.shuffled(using: &rng).prefix(1 + rng.below(4)).enumerated() {
                    program.preferences.append(Preference(fromID: m, toID: e, rank: r + 1 + rng.below(2)))
                }
            }
        }
        if rng.below(4) == 0 { policy.equity.levelAccess = .init(tolerance: [0, 0.2][rng.below(2)], bands: [1...3, 4...6]) }
        policy.objective = Self.objectives[rng.below(Self.objectives.count)]
        program.policy = policy
        // Locks and rejections drawn by the base program may now name ineligible pairs: that is a case too.
        if rng.below(2) == 0 { decisions.locked = [] }
        return (program, decisions)
    }
}

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
