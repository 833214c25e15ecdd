import Foundation
import GLPKEngine
import MatchModel
import MentorMatch
import Optimization
import TestSupport
import Testing

@testable import MatchSolver

/// Small random programs whose access and reach rules bind: two attributes
/// correlated with location (as in real companies), tolerances of 0 to 0.1,
/// groups of one, scarce places. Every seed is replayable.
struct BindingProgram {
    var rng: SplitMix

    mutating func make() -> (Program, ReviewDecisions) {
        var gen = RandomProgram(rng: rng)
        var (program, decisions) = gen.make(mentorsPerMentee: 1 + (rng.below(4) == 0 ? 1 : 0))
        rng = gen.rng
        // Attributes follow location: 'g' is mostly 'b' away from HQ; 'h' has a rare value (a group of one).
        for i in program.people.indices {
            let away = program.people[i].location != "HQ"
            program.people[i].attributes["g"] = rng.below(10) < (away ? 7 : 2) ? "b" : "a"
            program.people[i].attributes["h"] = rng.below(9) == 0 ? "rare" : (rng.below(2) == 0 ? "p" : "q")
        }
        var equity = Equity()
        equity.groupAccess = [.init(attribute: "g", tolerance: [0, 0.03, 0.05, 0.1][rng.below(4)])]
        if rng.below(2) == 0 { equity.groupAccess.append(.init(attribute: "h", tolerance: [0, 0.05][rng.below(2)])) }
        if rng.below(2) == 0 { equity.departmentAccessTolerance = [0, 0.05][rng.below(2)] }
        if rng.below(3) == 0 { equity.maxSameDepartmentPerMentor = 1 }
        if rng.below(2) == 0 { equity.locationReach = .init(location: "HQ", minShareOutside: 0.5) }
        program.policy.equity = equity
        return (program, decisions)
    }
}

extension BindingProgram {
    /// The binding program drawn from `state` (replayable).
    static func make(state: UInt64) -> (Program, ReviewDecisions) {
        var gen = BindingProgram(rng: SplitMix(state: state))
        return gen.make()
    }

    /// A binding program from `state` without locks (so the empty cohort keeps every access and
    /// reach rule, and a cohort always exists), with the given objective.
    static func withoutLocks(state: UInt64, objective: MatchModel.Objective) -> MatchInstance {
        var (program, decisions) = make(state: state)
        decisions.locked = []
        program.policy.objective = objective
        return MatchInstance(program: program, decisions: decisions)
    }
}

/// The whole `auto` path as `propose` runs it for small programs: network first, then the
/// full GLPK model from network first's cohort when it did not settle the program.
func solveAuto(
    _ instance: MatchInstance, shouldStop: @escaping () -> Bool = { false },
    timeLimit: Double? = nil
) throws -> (outcome: SolveOutcome, first: NetworkFirst.Result) {
    var first = NetworkFirst(instance: instance, engine: GLPKEngine())
    first.shouldStop = shouldStop
    let r = try first.solve()
    if let o = r.outcome { return (o, r) }
    var lex = LexicographicSolver(instance: instance, candidates: CandidatePairs(instance), engine: GLPKEngine())
    lex.initialCohort = r.cohort
    lex.coverageBound = r.coverageBound
    if let timeLimit { lex.timeLimitSeconds = timeLimit }
    return (try lex.solve(), r)
}

extension RuleRepair {
    /// The rule repair over every candidate pair, as the side-rule pricing builds it.
    static func overEveryCandidate(_ instance: MatchInstance, rows: [SideRow], candidates: CandidatePairs) -> RuleRepair {
        let eligible = instance.mentees.indices.map { es in
            candidates.pairs(ofMentee: es).map { (mentor: Int(candidates.mentor[$0]), points: Int(candidates.points[$0])) }
        }
        let w = Int64(1_000 * instance.mentees.count * instance.policy.rules.mentorsPerMentee + 1)
        return RuleRepair(instance: instance, rows: rows, w: w, eligible: eligible)
    }
}

@Suite struct BindingRulesTests {
    /// Network first, then the full model from its cohort: the same optimum as brute force on
    /// every program (both objectives, tolerance 0, groups of one, locks and rejections).
    @Test(arguments: 0..<4)
    func autoPathAgreesWithBruteForce(block: Int) throws {
        var broken = 0
        for seed in UInt64(block * 100)..<UInt64(block * 100 + 100) {
            let (program, decisions) = BindingProgram.make(state: seed &* 104_729 &+ 3)
            let instance = MatchInstance(program: program, decisions: decisions)
            let oracle = BruteForce(instance: instance, candidates: CandidatePairs(instance)).solve()
            let (outcome, first) = try solveAuto(instance)
            if first.networkOutcome?.sideRules?.unmet.isEmpty == false { broken += 1 }
            outcome.expectMatches(oracle, instance, "binding seed \(seed), \(program.policy.objective), \(program.policy.equity)")
        }
        // The family is meant to bind: most programs' optimum without the rules breaks one.
        #expect(broken > 20, "only \(broken) of 100 programs had a rule broken by the optimum without them")
    }

    /// The repair heuristic turns the optimum without the access/reach rules into a cohort
    /// that keeps every rule (always, without locks), and never claims more than the optimum;
    /// the count search improves on it only with cohorts that keep every rule.
    @Test(arguments: 0..<3)
    func ruleRepairKeepsEveryRule(block: Int) throws {
        var repaired = 0
        for seed in UInt64(block * 150)..<UInt64(block * 150 + 150) {
            let instance = BindingProgram.withoutLocks(state: seed &* 15_485_863 &+ 5, objective: .coverageThenScore)
            var relaxed = NetworkSolver(instance: instance)
            relaxed.relaxSideConstraints = true
            relaxed.ruleRepairPairLimit = 0  // the repair under test runs here, not inside the solver
            let r = try relaxed.solve()
            guard r.status == .optimal, r.sideRules?.unmet.isEmpty == false, let rows = SideRow.rows(instance) else { continue }
            let candidates = CandidatePairs(instance)
            let repair = RuleRepair.overEveryCandidate(instance, rows: rows, candidates: candidates)
            let cohort = try #require(repair.repair(r.pairs, locked: []), "seed \(seed): no cohort without locks")
            let pairs = cohort.map { ($0.mentor, $0.mentee) }
            #expect(CohortCheck.violations(instance, pairs: pairs).isEmpty, "seed \(seed): \(CohortCheck.violations(instance, pairs: pairs))")
            let o = CohortCheck.objective(instance, pairs: pairs)
            let best = BruteForce(instance: instance, candidates: candidates).solve()
            if let best {
                #expect((o.coverage, o.totalPoints) <= (best.coverage, best.total), "seed \(seed)")
            }
            // The count search from that cohort towards the optimum without the rules: a better
            // cohort that keeps every rule, or none; never more than the optimum.
            if let better = repair.improveByCounts(
                cohort, towards: [r.pairs], locked: [], keepReach: { from, _ in from }, work: 10_000, stop: { false }
            ).cohort {
                let pairs = better.map { ($0.mentor, $0.mentee) }
                #expect(CohortCheck.violations(instance, pairs: pairs).isEmpty, "seed \(seed): \(CohortCheck.violations(instance, pairs: pairs))")
                let b = CohortCheck.objective(instance, pairs: pairs)
                #expect((b.coverage, b.totalPoints) > (o.coverage, o.totalPoints), "seed \(seed): the count search claimed a gain it did not make")
                if let best { #expect((b.coverage, b.totalPoints) <= (best.coverage, best.total), "seed \(seed)") }
            }
            repaired += 1
        }
        #expect(repaired > 30, "only \(repaired) programs needed a repair")
    }

    /// Stopped at any moment, network first still hands back a cohort that keeps every rule
    /// (never none while one is easy to find), and every bound it states holds for the optimum.
    @Test(arguments: 0..<3)
    func stoppedSolvesKeepEveryRuleWithATrueBound(block: Int) throws {
        var stoppedWithCohort = 0
        for seed in UInt64(block * 120)..<UInt64(block * 120 + 120) {
            let instance = BindingProgram.withoutLocks(
                state: seed &* 32_452_843 &+ 7,
                objective: seed % 2 == 0 ? .coverageThenScore : .coverageThenFairness)
            let oracle = BruteForce(instance: instance, candidates: CandidatePairs(instance)).solve()
            let stopAfter = Int(seed % 40)
            let polls = Counter()
            var first = NetworkFirst(instance: instance, engine: GLPKEngine())
            first.shouldStop = { polls.next() > stopAfter }
            let r = try first.solve()
            let cohort = r.outcome?.pairs ?? r.cohort
            let context = "seed \(seed), stop after \(stopAfter) polls"
            guard let oracle else { continue }
            let c = try #require(cohort, "\(context): no cohort at all")
            #expect(CohortCheck.violations(instance, pairs: c.map { ($0.mentor, $0.mentee) }).isEmpty, "\(context)")
            if r.outcome == nil { stoppedWithCohort += 1 }
            if let b = r.networkOutcome?.sideRules?.bound {
                #expect(
                    (oracle.coverage, oracle.total) <= (b.coverage, b.points ?? Int.max) || instance.policy.objective == .coverageThenFairness,
                    "\(context): bound \(b) below the optimum \(oracle)")
                #expect(oracle.coverage <= b.coverage, "\(context): coverage bound \(b.coverage) below the optimum \(oracle.coverage)")
            }
        }
        #expect(stoppedWithCohort > 10, "only \(stoppedWithCohort) stopped solves handed a cohort over")
    }

    /// Above the repair's pair limit, the answer without the rules is still repaired — with each
    /// mentee's best pairs only — into a cohort that keeps every rule (never none, without locks).
    @Test func programsOverTheRepairLimitStillGetACohort() throws {
        var repaired = 0
        for seed in UInt64(0)..<600 {
            let instance = BindingProgram.withoutLocks(state: seed &* 67_867_967 &+ 11, objective: .coverageThenFairness)
            var relaxed = NetworkSolver(instance: instance)
            relaxed.relaxSideConstraints = true
            relaxed.ruleRepairPairLimit = instance.mentees.count  // one pair per mentee
            let r = try relaxed.solve()
            guard r.status == .optimal, r.sideRules?.unmet.isEmpty == false, r.eligiblePairs > relaxed.ruleRepairPairLimit else { continue }
            let cohort = try #require(r.sideRules?.cohort, "seed \(seed): no cohort over the limit")
            let pairs = cohort.map { ($0.mentor, $0.mentee) }
            #expect(CohortCheck.violations(instance, pairs: pairs).isEmpty, "seed \(seed): \(CohortCheck.violations(instance, pairs: pairs))")
            repaired += 1
        }
        #expect(repaired > 20, "only \(repaired) programs over the limit needed a repair")
    }

    /// A full model with no time left answers with its starting cohort, not with nothing.
    @Test func fullModelWithoutTimeKeepsTheStartingCohort() throws {
        var tried = 0
        for seed in UInt64(0)..<300 {
            let instance = BindingProgram.withoutLocks(state: seed &* 49_979_687 &+ 9, objective: .coverageThenScore)
            let r = try NetworkFirst(instance: instance, engine: GLPKEngine()).solve()
            guard let cohort = r.cohort ?? r.outcome?.pairs, !cohort.isEmpty else { continue }
            var lex = LexicographicSolver(instance: instance, candidates: CandidatePairs(instance), engine: StoppedEngine())
            lex.initialCohort = cohort
            let o = try lex.solve()
            #expect(o.pairs.count == cohort.count, "seed \(seed)")
            #expect(CohortCheck.violations(instance, pairs: o.pairs.map { ($0.mentor, $0.mentee) }).isEmpty, "seed \(seed)")
            tried += 1
        }
        #expect(tried > 20, "only \(tried) programs had a cohort to start from")
    }
}

/// The count search's budget is work, sized for the roster: the full budget on small
/// rosters, fewer flows on large ones (each costs more), never fewer than 8.
@Test func theCountSearchBudgetShrinksWithTheRoster() {
    let tuning = NetworkTuning()
    #expect(tuning.countSearchFlows(mentees: 0) == tuning.countSearchWork)
    #expect(tuning.countSearchFlows(mentees: 400) == tuning.countSearchWork)
    #expect(tuning.countSearchFlows(mentees: 1_500) == tuning.countSearchWork)
    #expect(tuning.countSearchFlows(mentees: 5_000) == 19)
    #expect(tuning.countSearchFlows(mentees: 100_000) == 8)
    let sizes = stride(from: 1, to: 50_000, by: 997).map { tuning.countSearchFlows(mentees: $0) }
    #expect(zip(sizes, sizes.dropFirst()).allSatisfy { $0 >= $1 })
}

/// A stop right at the start: GLPK reports DBL_MAX as its bound. No trap, no bound stated.
@Suite struct StoppedAtOnceTests {
    struct HugeBound: IntegerProgramEngine {
        var name: String { "huge" }
        func solve(_ program: IntegerProgram, parameters: SolveParameters) throws -> SolveResult {
            SolveResult(termination: .timeLimit, values: nil, objectiveValue: nil, bestBound: .greatestFiniteMagnitude, seconds: 0)
        }
    }

    @Test func aBoundThatIsNoNumberIsNotStated() throws {
        let (program, _) = BindingProgram.make(state: 77)
        let instance = MatchInstance(program: program)
        let o = try LexicographicSolver(instance: instance, candidates: CandidatePairs(instance), engine: HugeBound()).solve()
        #expect(o.status == .timeLimit || o.status == .infeasible)
        #expect(o.proof?.coverageBound == nil && o.proof?.pointsBound == nil, "\(String(describing: o.proof))")
        #expect(o.proof.map { !$0.sentence(for: o.objective).contains("≤") } ?? true)
        #expect(o.status == .infeasible || o.proof?.cohortFound == false, "no values: no cohort, and the proof says so")
        #expect(LexicographicSolver.wholeNumber(.greatestFiniteMagnitude) == nil)
        #expect(LexicographicSolver.wholeNumber(.nan) == nil && LexicographicSolver.wholeNumber(-.infinity) == nil)
        #expect(LexicographicSolver.wholeNumber(-12) == -12)
    }
}

/// The proof is a value; the sentences and the exit code are made from it.
@Suite struct ProofTests {
    let cohort = CohortCheck.Objective(coverage: 40, matchedMentees: 38, totalPoints: 20_000, minPoints: 150)

    @Test func sentencesAreMadeFromTheValues() {
        let coverage = Proof(ending: .stopped, coverageBound: 42)
        #expect(coverage.sentence(for: cohort).contains("coverage ≤ 42 proven (this cohort 40)"))
        let points = Proof(ending: .answeredWithoutFullModel, coverageBound: 40, pointsBound: 20_050)
        #expect(
            points.sentence(for: cohort).contains("coverage 40 is the most possible; total points ≤ 20050 proven (this cohort 20000; gap 50 points"))
        let none = Proof(ending: .stopped, cohortFound: false, coverageBound: 44)
        #expect(none.sentence(for: .init(coverage: 0, matchedMentees: 0, totalPoints: 0, minPoints: 0)).hasPrefix("no cohort was found"))
        let fairness = Proof(ending: .stopped, coverageBound: 40, fairness: .init(reachable: 200, unsettled: 260))
        #expect(fairness.sentence(for: cohort).contains("≥ 200 proven reachable; 260 not settled"))
    }

    @Test func combiningKeepsTheTighterBounds() {
        let a = Proof(ending: .stopped, coverageBound: 42, pointsBound: nil)
        let b = Proof(ending: .answeredWithoutFullModel, coverageBound: 40, pointsBound: 20_100)
        let c = a.combined(with: b)
        #expect(c.ending == .stopped && c.coverageBound == 40 && c.pointsBound == 20_100)
        #expect(a.combined(with: nil) == a)
    }
}

/// The product's own route (`Propose`, network first then the full model) against brute force
/// on the binding family with the fairness objective, where the coverage is settled by the
/// score objective's network first, and the fairness threshold by network first at each
/// threshold (``FairnessByNetwork``) before GLPK is left what those do not settle.
@Suite struct FairnessRouteTests {
    @Test(arguments: 0..<2)
    func proposeAgreesWithBruteForceUnderFairness(block: Int) throws {
        var settled = 0, byNetwork = 0
        for seed in UInt64(block * 100)..<UInt64(block * 100 + 100) {
            var (program, decisions) = BindingProgram.make(state: seed &* 611_953 &+ 11)
            program.policy.objective = .coverageThenFairness
            let instance = MatchInstance(program: program, decisions: decisions)
            let oracle = BruteForce(instance: instance, candidates: CandidatePairs(instance)).solve()
            var propose = MentorMatch.Propose()
            propose.decisions = decisions
            let p = try propose.run(program: program).proposal
            let context = "fairness seed \(seed), \(program.policy.equity)"
            guard let oracle else {
                #expect(p.status == .infeasible, "\(context)")
                continue
            }
            #expect(p.status == .optimal, "\(context)")
            #expect(p.objective.coverage == oracle.coverage && p.objective.minPoints == oracle.minimum, "\(context)")
            #expect(p.objective.totalPoints == oracle.total, "\(context)")
            if p.stages.contains(where: { $0.name.hasPrefix("coverage (") && $0.name.contains("a proven bound") }) { settled += 1 }
            if p.stages.contains(where: { $0.name.contains("pairs of at least") }) { byNetwork += 1 }
        }
        #expect(settled > 5, "the coverage was settled by the score objective on only \(settled) programs")
        #expect(byNetwork > 0, "network first checked no fairness threshold")
    }

    /// The threshold search on its own: stopped at once it keeps the cohort it started from;
    /// given time, the threshold it settles and the cohort it proves are the brute-force optimum's,
    /// and every check's cohort keeps every rule with the most coverage.
    @Test func theNetworkThresholdSearchFindsTheBruteForceThreshold() throws {
        var proven = 0, raised = 0
        for seed in UInt64(0)..<300 {
            var (program, decisions) = BindingProgram.make(state: seed &* 7_919 &+ 5)
            program.policy.objective = .coverageThenScore
            let scoring = MatchInstance(program: program, decisions: decisions)
            guard let best = try NetworkFirst(instance: scoring, engine: GLPKEngine()).solve().outcome, best.status == .optimal,
                best.pairs.count > 1
            else { continue }
            program.policy.objective = .coverageThenFairness
            let instance = MatchInstance(program: program, decisions: decisions)
            guard let oracle = BruteForce(instance: instance, candidates: CandidatePairs(instance)).solve() else { continue }
            let search = FairnessByNetwork(NetworkFirst(instance: instance, engine: GLPKEngine()))
            let context = "seed \(seed)"
            let highest = CandidatePairs(instance).points.max().map(Int.init) ?? 0
            let stopped = try search.solve(coverage: best.objective.coverage, from: best.pairs, startProven: best, atMost: highest, seconds: 0)
            #expect(stopped.reached == best.objective.minPoints && stopped.cohort.count == best.pairs.count, "\(context)")
            let r = try search.solve(coverage: best.objective.coverage, from: best.pairs, startProven: best, atMost: highest, seconds: 60)
            if r.reached > best.objective.minPoints { raised += 1 }
            let o = CohortCheck.objective(instance, pairs: r.cohort.map { ($0.mentor, $0.mentee) })
            #expect(CohortCheck.violations(instance, pairs: r.cohort.map { ($0.mentor, $0.mentee) }).isEmpty, "\(context)")
            #expect(o.coverage == oracle.coverage && o.minPoints >= r.reached, "\(context)")
            #expect(r.reached <= oracle.minimum && oracle.minimum <= r.highestPossible, "\(context)")
            if let optimum = r.optimum {
                proven += 1
                #expect(r.reached == oracle.minimum && optimum.objective.totalPoints == oracle.total, "\(context)")
            }
        }
        #expect(proven > 20 && raised > 0, "the search proved \(proven) optima and raised the weakest pair on \(raised) programs")
    }
}

/// The model's own reading of a cohort: a cohort that keeps every rule is a feasible point of
/// every stage's model, its count variables (matched mentees per group, pairs of mentors at the
/// reach location) included, with the cohort's coverage and points as the objective. Warm starts
/// and neighbourhood searches begin there; a count filled wrongly would send them back to a
/// search from nothing without failing any answer.
@Suite struct FormulationReadsCohortsTests {
    @Test func aCohortKeepingEveryRuleIsAFeasiblePointOfEachStage() throws {
        var checked = 0
        for seed in UInt64(0)..<250 {
            var gen = RandomProgram(rng: SplitMix(state: seed &* 49_979_687 &+ 13))
            var (program, decisions) = gen.make(mentorsPerMentee: 1 + Int(seed % 3 == 0 ? 1 : 0))
            decisions.locked = []
            program.policy.objective = .coverageThenScore
            if seed % 2 == 0 { program.policy.equity.locationReach = .init(location: "HQ", minShareOutside: 0.5) }
            let instance = MatchInstance(program: program, decisions: decisions)
            let candidates = CandidatePairs(instance)
            let (outcome, _) = try solveAuto(instance)
            guard outcome.status == .optimal, !outcome.pairs.isEmpty else { continue }
            let chosen = try outcome.pairs.map { try #require(candidates.index(mentor: $0.mentor, mentee: $0.mentee)) }
            var pointsStage = Formulation.Options()
            pointsStage.goal = .totalPoints
            pointsStage.minimumCoverage = outcome.objective.coverage
            for (options, value) in [(Formulation.Options(), outcome.objective.coverage), (pointsStage, outcome.objective.totalPoints)] {
                let model = Formulation(instance: instance, candidates: candidates, lockedPairs: [], options: options)
                let v = model.values(choosing: chosen, candidates: candidates)
                #expect(model.program.isFeasible(v), "seed \(seed), goal \(options.goal): the cohort is not a point of its model")
                #expect(model.program.objectiveValue(of: v) == Double(value), "seed \(seed), goal \(options.goal)")
                #expect(Set(model.chosenPairs(v)) == Set(chosen), "seed \(seed)")
            }
            checked += 1
        }
        #expect(checked > 80, "only \(checked) programs had an optimal cohort with pairs")
    }
}
