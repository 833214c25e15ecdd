import Dispatch
import MatchModel
import MatchSolver
import Optimization

/// The full integer program, solved by GLPK stage by stage (coverage, fairness,
/// points), started from a cohort when one is known.
struct FullModelRoute: CohortSolver {
    private let context: SolveContext
    private let candidates: CandidatePairs
    /// A cohort keeping every rule to start from (network first's best).
    var initialCohort: [(mentor: Int, mentee: Int)]?
    /// What the priced flows proved, to combine with GLPK's own bounds.
    var sideRuleBound: (coverage: Int, points: Int?)?
    /// The most coverage any cohort keeping every rule reaches, when already proven
    /// (and reached by ``initialCohort``): the coverage stage is then skipped.
    var coverageProven: Int?
    /// An upper bound on the coverage of every cohort keeping every rule, proven elsewhere (network
    /// first's optimum without the access/reach rules): it bounds the matched count in the model, where
    /// rules at tolerance 0 may allow only a few counts below it.
    var coverageBound: Int?
    /// No cohort with that coverage keeping every rule has a weakest pair above this (proven).
    var minimumPointsBound: Int?

    init(_ context: SolveContext) {
        self.context = context
        candidates = CandidatePairs(context.instance)
    }

    var engineName: String { "glpk" }

    /// The program's eligible pairs: the model's columns, or column generation's pool.
    var eligiblePairs: Int { candidates.count }

    mutating func solve() throws -> SolveOutcome {
        let instance = context.instance
        context.progress?("\(candidates.count) eligible pairs")
        // The fairness objective still solves its threshold checks on the full model;
        // column generation keeps only candidates in the model but every pair in memory (12 bytes each).
        let limit = context.selection.fullModelPairLimit(instance.policy)
        if instance.policy.rules.stable, initialCohort == nil, let settled = try withoutStability() { return settled }
        guard candidates.count <= limit else {
            if instance.policy.rules.stable, let start = initialCohort {
                // Too large for the model: the stable cohort from the walk, with what the relaxation proves.
                let objective = CohortCheck.objective(instance, pairs: start.map { ($0.mentor, $0.mentee) })
                return SolveOutcome(
                    status: .feasible, pairs: start.sorted { ($0.mentee, $0.mentor) < ($1.mentee, $1.mentor) }, eligiblePairs: candidates.count,
                    objective: objective,
                    stages: [
                        StageReport(
                            name: "a stable cohort from the optimum without rules.stable (\(candidates.count) pairs: more than the model takes)",
                            termination: .gapLimit, objective: nil, bound: nil, seconds: 0, variables: 0, constraints: 0)
                    ], conflicts: [],
                    proof: NetworkFirstRoute.sideRuleProof(objective, sideRuleBound, ending: .answeredWithoutFullModel), finalModel: nil,
                    seconds: Double(DispatchTime.now().uptimeNanoseconds - context.start.uptimeNanoseconds) / 1e9)
            }
            throw SolverFailure(
                message: "\(candidates.count) eligible pairs are more than the GLPK path handles for this objective "
                    + "(\(limit) at most). Without equity rules the network engine solves rosters of any size (--engine network).")
        }
        var solver = LexicographicSolver(instance: instance, candidates: candidates, engine: context.glpk)
        solver.columnGenerationAbove = context.selection.columnGenerationAbove
        solver.initialCohort = initialCohort
        solver.coverageBound = [coverageProven, coverageBound].compactMap { $0 }.min()
        solver.minimumPointsBound = minimumPointsBound
        solver.timeLimitSeconds = max(0.001, context.secondsLeft)
        solver.verbose = context.verbose
        solver.progress = context.progress
        var outcome = try solver.solve()
        if outcome.status != .optimal && outcome.status != .infeasible, sideRuleBound != nil {
            let priced = NetworkFirstRoute.sideRuleProof(outcome.objective, sideRuleBound, ending: .stopped)
            outcome.proof = outcome.proof?.combined(with: priced) ?? priced
        }
        return outcome
    }

    /// `rules.stable` is a relaxation away from a network program: the network's optimum without it is
    /// the program's optimum when it has no blocking pair (every stable cohort is a cohort of the
    /// relaxation, so none does better), and bounds every stable cohort when it has one.
    private mutating func withoutStability() throws -> SolveOutcome? {
        let instance = context.instance
        var relaxed = instance.program
        relaxed.policy.rules.stable = false
        let route = try context.selection.route(.auto, for: relaxed)
        guard route == .network || route == .tieredNetwork else { return nil }
        var inner = context
        inner.instance = MatchInstance(program: relaxed, decisions: instance.decisions)
        var solver: any CohortSolver = route == .network ? NetworkRoute(inner) : TieredNetworkRoute(inner)
        var outcome = try solver.solve()
        guard outcome.status == .optimal else { return nil }
        let stability = Stability(instance)
        let blocking = stability.blockingPairs(outcome.pairs.map { ($0.mentor, $0.mentee) })
        context.progress?("without rules.stable: coverage \(outcome.objective.coverage), \(blocking.count) blocking pairs")
        guard blocking.isEmpty else {
            if instance.policy.objective == .coverageThenScore {
                sideRuleBound = (outcome.objective.coverage, outcome.objective.totalPoints)
            }
            // A stable cohort near that optimum is GLPK's start (and the answer if GLPK finds none better in time).
            guard var start = stability.stabilized(outcome.pairs, locked: instance.resolveLocks().pairs) else { return nil }
            // Pairs added where both sides have room never make a pair block (each side then wants no one it did
            // not want before): the flow fills the places the walk left, with the stable cohort held.
            var held = instance.decisions
            held.locked.formUnion(
                start.map {
                    PairKey(mentorID: instance.people[instance.mentors[$0.mentor]].id, menteeID: instance.people[instance.mentees[$0.mentee]].id)
                })
            inner.instance = MatchInstance(program: relaxed, decisions: held)
            var fill: any CohortSolver = route == .network ? NetworkRoute(inner) : TieredNetworkRoute(inner)
            if let filled = try? fill.solve(), filled.status == .optimal,
                stability.blockingPairs(filled.pairs.map { ($0.mentor, $0.mentee) }).isEmpty
            {
                start = filled.pairs
            }
            guard CohortCheck.violations(instance, pairs: start.map { ($0.mentor, $0.mentee) }).isEmpty else { return nil }
            context.progress?("a stable cohort from it: \(start.count) pairs")
            initialCohort = start
            return nil
        }
        outcome.stages.append(
            StageReport(
                name: "check: no blocking pair at the optimum without rules.stable, so it is optimal", termination: .optimal,
                objective: nil, bound: nil, seconds: 0, variables: 0, constraints: 0))
        return outcome
    }

    func eligibleMentors(of mentee: Int) -> [Int] {
        candidates.pairs(ofMentee: mentee).map { Int(candidates.mentor[$0]) }
    }

    func finalModel(for outcome: SolveOutcome, wanted: Bool) -> IntegerProgram? { outcome.finalModel }
}
