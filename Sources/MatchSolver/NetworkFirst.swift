import MatchModel
import Optimization

/// Programs with access/reach rules (group access, department access, location
/// reach), solved network first — exact, with GLPK only on what is left:
///
/// 1. The network optimum without those rules bounds the program's optimum; if
///    it meets them, it *is* the optimum (a relaxation's optimum that is feasible).
/// 2. Otherwise the broken rules are priced into the flow (Lagrangian
///    relaxation, ``NetworkSolver``): a bound, and the best cohort meeting
///    every rule. Reduced-cost fixing on the bounding flow leaves the few pairs
///    a better cohort could use; GLPK solves the lexicographic model on those
///    pairs only, starting from that cohort. Its optimum is the program's.
///
/// When neither settles it (the fairness objective with broken rules, a share
/// with no short decimal form, a stop), ``Result/outcome`` is `nil` and the
/// caller solves the full model, starting from ``Result/cohort`` if there is one.
public struct NetworkFirst {
    public let instance: MatchInstance
    public let engine: any IntegerProgramEngine
    public var verbose = false
    public var progress: (@Sendable (String) -> Void)?
    public var shouldStop: () -> Bool = { false }
    /// The network engine's settings.
    public var tuning = NetworkTuning()
    /// Where network first hands over: the reduced model's pair limit and time, the rule
    /// repair's pair limit, column generation in the reduced model.
    public var selection = EngineSelection()

    public init(instance: MatchInstance, engine: any IntegerProgramEngine) {
        self.instance = instance
        self.engine = engine
    }

    /// The same settings on another instance (the program with a rule changed).
    public func on(_ other: MatchInstance) -> NetworkFirst {
        var copy = NetworkFirst(instance: other, engine: engine)
        copy.verbose = verbose
        copy.progress = progress
        copy.shouldStop = shouldStop
        copy.tuning = tuning
        copy.selection = selection
        return copy
    }

    public struct Result {
        /// The settled answer (optimal or infeasible), or `nil`.
        public var outcome: SolveOutcome?
        /// A cohort meeting every rule, to start a full solve from.
        public var cohort: [(mentor: Int, mentee: Int)]?
        /// The network solver (its eligible-pair cache answers "which mentors were eligible").
        public var network: NetworkSolver
        /// The network solve as it ended (for a cohort and bound to report when nothing settles it).
        public var networkOutcome: SolveOutcome?
        /// GLPK did not settle the reduced model — every pair a better cohort could use — in its
        /// time: the full model, a superset, would not either; report ``cohort`` with the bound.
        public var reducedModelStopped = false

        /// What the network proved about the coverage of every cohort keeping every rule: the
        /// optimum without the access/reach rules, or the priced flows' bound when lower.
        public var coverageBound: Int? {
            guard let n = networkOutcome else { return nil }
            return [n.status == .optimal ? n.objective.coverage : nil, n.sideRules?.bound?.coverage].compactMap { $0 }.min()
        }
    }

    public func solve() throws -> Result {
        var solver = NetworkSolver(instance: instance)
        solver.tuning = tuning
        solver.relaxSideConstraints = true
        solver.progress = progress.map { p in { p($0) } }
        solver.shouldStop = shouldStop
        // Listed up to what the whole limit would allow; whether a reduced model runs is decided
        // with the time left once they are known.
        solver.sideRulePairLimit = selection.reducedModelPairs(secondsLeft: instance.policy.solver.timeLimitSeconds)
        solver.ruleRepairPairLimit = selection.ruleRepairPairLimit
        solver.improvePoints = selection.improvePoints
        solver.integerEngine = engine
        let r = try solver.solve()
        if r.status == .infeasible {
            // Infeasible without the access/reach rules: infeasible with them.
            return Result(outcome: r, cohort: nil, network: solver, networkOutcome: r)
        }
        if r.status == .timeLimit, r.sideRules?.unmet.isEmpty == true {
            // Stopped, but what it has keeps every rule: that is the answer so far.
            return Result(outcome: r, cohort: r.pairs, network: solver, networkOutcome: r)
        }
        guard r.status == .optimal, let unmet = r.sideRules?.unmet else {
            return Result(outcome: nil, cohort: r.sideRules?.cohort, network: solver, networkOutcome: r)
        }
        if unmet.isEmpty { return Result(outcome: r, cohort: nil, network: solver, networkOutcome: r) }
        let limit = instance.policy.solver.timeLimitSeconds
        let left = limit - r.seconds
        let most = selection.reducedModelPairs(secondsLeft: left)
        guard let pairs = r.sideRules?.pairs, let cohort = r.sideRules?.cohort, pairs.count <= most, left > 0 else {
            if let count = r.sideRules?.pairCount, count > most {
                progress?("\(count) pairs can still matter: too many for a reduced model")
            }
            progress?("the optimum without the access/reach rules breaks \(unmet.count) of them (\(unmet[0])\(unmet.count > 1 ? ", …" : ""))")
            return Result(outcome: nil, cohort: r.sideRules?.cohort, network: solver, networkOutcome: r)
        }
        // Only these pairs can beat the cohort found: a small model settles it.
        progress?("GLPK on the \(pairs.count) pairs that can still matter")
        var lex = LexicographicSolver(instance: instance, candidates: CandidatePairs(instance, only: pairs), engine: engine)
        lex.initialCohort = cohort
        lex.columnGenerationAbove = selection.columnGenerationAbove
        // The optimum without the access/reach rules bounds every cohort's coverage, and so do the
        // priced flows and the counts (``CoverageByCounts``): when the cohort found reaches the
        // least of them, GLPK need not prove the coverage again (3k × 1k: 1.2 s of 3).
        lex.coverageBound = [r.objective.coverage, r.sideRules?.bound?.coverage].compactMap { $0 }.min()
        // A proof on the reduced model is worth the selection's share of the time left (all of it
        // for a solve that answers with it; half within a larger search, which needs the rest).
        lex.timeLimitSeconds = max(0.001, min(left, max(selection.reducedModelSeconds, r.seconds, left * selection.reducedModelShare)))
        lex.verbose = verbose
        lex.progress = progress
        var o = try lex.solve()
        guard o.status == .optimal else {
            // Keep what GLPK found if it beats the network's cohort.
            let value = { (p: [(mentor: Int, mentee: Int)]) -> (Int, Int) in
                let v = CohortCheck.objective(instance, pairs: p.map { ($0.mentor, $0.mentee) })
                return (v.coverage, v.totalPoints)
            }
            let better =
                !o.pairs.isEmpty && value(o.pairs) > value(cohort)
                && CohortCheck.violations(instance, pairs: o.pairs.map { ($0.mentor, $0.mentee) }).isEmpty
            return Result(outcome: nil, cohort: better ? o.pairs : cohort, network: solver, networkOutcome: r, reducedModelStopped: true)
        }
        o.eligiblePairs = r.eligiblePairs
        o.scanSeconds = r.scanSeconds
        o.stages =
            r.stages
            + o.stages.map { s in
                var s = s
                s.name = "reduced model (\(pairs.count) pairs that can matter): " + s.name
                return s
            }
        o.seconds = r.seconds + o.seconds
        o.finalModel = nil  // the reduced model is not the program's model
        return Result(outcome: o, cohort: cohort, network: solver, networkOutcome: r)
    }
}
