import Foundation
import GLPKEngine
import MatchModel
import MatchSolver
import Optimization

/// Which solver core proposes the cohort.

/// The `propose` use case: load a program, solve it to proven optimality,
/// and assemble a proposal.
public struct Propose: Sendable {
    public var decisions = ReviewDecisions()
    public var verbose = false
    /// Overrides `solver.time_limit_seconds`.
    public var timeLimitSeconds: Double?
    public var progress: (@Sendable (String) -> Void)?
    public var engine: EngineChoice = .auto
    /// Build the final stage's integer program even when the network engine solved (for `--write-model`).
    public var wantModel = false
    /// The network engine's settings.
    public var tuning = NetworkTuning()
    /// The GLPK engine (and its settings) for what is a MIP.
    public var glpk = GLPKEngine()
    /// Which engine runs, and where each hands over (every threshold, with its reason).
    public var selection = EngineSelection()

    public init() {}

    /// Result of a run: the proposal and the final model handed to the solver.
    public struct Result: Sendable {
        public var proposal: Proposal
        public var model: IntegerProgram?
        public var warnings: [Diagnostic]
        /// The program as solved (after overrides).
        public var program: Program
    }

    /// Loads `programPath` and proposes a cohort. Throws ``InputError`` on bad input.
    public func run(programPath: String, overrides: [ProgramOverride] = []) throws -> Result {
        let loaded = try ProgramLoader.load(path: programPath, overrides: overrides)
        var r = try run(program: loaded.program)
        r.warnings = loaded.warnings
        return r
    }

    /// Proposes a cohort for an already loaded program.
    public func run(program: Program) throws -> Result {
        let start = DispatchTime.now()
        var program = program
        if let t = timeLimitSeconds { program.policy.solver.timeLimitSeconds = t }
        let instance = MatchInstance(program: program, decisions: decisions)
        let route = try selection.route(engine, for: program)
        let useNetwork = route == .network
        let engineName = useNetwork ? "network" : engine == .auto ? "network first, then GLPK if needed" : "glpk-model"
        progress?("\(instance.mentees.count) mentees × \(instance.mentors.count) mentors, engine \(engineName)")
        var outcome: SolveOutcome
        var eligibleMentors: (Int) -> [Int]
        var model: IntegerProgram?
        // An answer from the network engine (alone or network first), with its solver (eligible-pair cache).
        var networkAnswer: (outcome: SolveOutcome, solver: NetworkSolver)?
        var fallbackCohort: [(mentor: Int, mentee: Int)]?
        var sideRuleBound: (coverage: Int, points: Int)?
        if useNetwork {
            var solver = NetworkSolver(instance: instance)
            solver.tuning = tuning
            solver.ruleRepairPairLimit = selection.ruleRepairPairLimit
            solver.progress = progress.map { p in { p($0) } }
            solver.shouldStop = { SolveControl.stopRequested }
            networkAnswer = (try solver.solve(), solver)
        } else if route == .networkFirst {
            progress?("network first, without the access/reach rules")
            var first = NetworkFirst(instance: instance, engine: glpk)
            first.tuning = tuning
            first.reducedModelPairLimit = selection.reducedModelPairLimit
            first.reducedModelSeconds = selection.reducedModelSeconds
            first.ruleRepairPairLimit = selection.ruleRepairPairLimit
            first.columnGenerationAbove = selection.columnGenerationAbove
            first.verbose = verbose
            first.progress = progress
            first.shouldStop = { SolveControl.stopRequested }
            let r = try first.solve()
            let late = Self.outOfTime(program, start)
            if let o = r.outcome {
                networkAnswer = (o, r.network)
            } else if let n = r.networkOutcome, let cohort = r.cohort,
                      n.eligiblePairs > selection.fullModelAfterNetworkLimit || r.reducedModelStopped || late {
                // Too large for the full model to improve on in any useful time, GLPK could not
                // settle even the pairs that can still matter (the full model holds them all and
                // more), or the time is up or the user stopped: report the best cohort meeting
                // every rule with what the priced flows prove.
                var o = n
                o.status = late ? .timeLimit : .feasible
                o.pairs = cohort
                o.objective = CohortCheck.objective(instance, pairs: cohort.map { ($0.mentor, $0.mentee) })
                o.proof = Self.sideRuleProof(o.objective, n.sideRuleBound, ending: late ? .stopped : .answeredWithoutFullModel)
                networkAnswer = (o, r.network)
            } else if late, var o = r.networkOutcome {
                // Stopped before any cohort keeping every rule was found: say so now rather
                // than start a model that would run on past the limit or the user's Ctrl-C.
                o.status = .timeLimit
                o.pairs = []
                o.objective = CohortCheck.objective(instance, pairs: [])
                o.proof = Proof(ending: .stopped, cohortFound: false, coverageBound: o.sideRuleBound?.coverage)
                networkAnswer = (o, r.network)
            } else {
                fallbackCohort = r.cohort
                sideRuleBound = r.networkOutcome?.sideRuleBound
                progress?("solving the full model with GLPK")
            }
        }
        if let (answer, solver) = networkAnswer {
            outcome = answer
            eligibleMentors = { solver.eligibleMentors(of: $0) }
            if wantModel { model = Self.finalModel(instance, outcome) }
        } else {
            let candidates = CandidatePairs(instance)
            progress?("\(candidates.count) eligible pairs")
            // The fairness objective still solves its threshold checks on the full model;
            // column generation keeps only candidates in the model but every pair in memory (12 bytes each).
            let limit = selection.fullModelPairLimit(program.policy.objective)
            guard candidates.count <= limit else {
                throw SolverFailure(message: "\(candidates.count) eligible pairs are more than the GLPK path handles for this objective "
                    + "(\(limit) at most). Without equity rules the network engine solves rosters of any size (--engine network).")
            }
            var solver = LexicographicSolver(instance: instance, candidates: candidates, engine: glpk)
            solver.columnGenerationAbove = selection.columnGenerationAbove
            solver.initialCohort = fallbackCohort
            solver.timeLimitSeconds = max(0.001, program.policy.solver.timeLimitSeconds
                                          - Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
            solver.verbose = verbose
            solver.progress = progress
            outcome = try solver.solve()
            if outcome.status != .optimal && outcome.status != .infeasible, sideRuleBound != nil {
                let priced = Self.sideRuleProof(outcome.objective, sideRuleBound, ending: .stopped)
                outcome.proof = (outcome.proof ?? priced).combined(with: priced)
            }
            eligibleMentors = { es in candidates.pairs(ofMentee: es).map { Int(candidates.mentor[$0]) } }
            model = outcome.finalModel
        }
        progress?("explaining \(outcome.pairs.count) pairs and the unmatched")
        let total = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let proposal = Proposal(instance: instance, outcome: outcome, engine: networkAnswer != nil ? "network" : "glpk",
                                totalSeconds: total, eligibleMentors: eligibleMentors)
        return Result(proposal: proposal, model: model, warnings: [], program: program)
    }

    /// Whether a stop was requested or the program's time limit has passed since `start`.
    static func outOfTime(_ program: Program, _ start: DispatchTime) -> Bool {
        SolveControl.stopRequested
            || Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 >= program.policy.solver.timeLimitSeconds
    }

    /// What the priced flows prove about a cohort that keeps every rule: their bound is on
    /// `W·coverage + points`, so it bounds the points only at the coverage it names.
    static func sideRuleProof(_ o: CohortCheck.Objective, _ bound: (coverage: Int, points: Int)?, ending: Proof.Ending) -> Proof {
        guard let b = bound else { return Proof(ending: ending) }
        if b.coverage > o.coverage { return Proof(ending: ending, coverageBound: b.coverage) }
        return Proof(ending: ending, coverageBound: o.coverage, pointsBound: b.points)
    }

    /// The final lexicographic stage as an integer program, matching a network
    /// solve: maximise total points with coverage (and the fairness threshold) held.
    static func finalModel(_ instance: MatchInstance, _ outcome: SolveOutcome) -> IntegerProgram {
        let candidates = CandidatePairs(instance)
        let (locks, _) = instance.resolveLocks()
        var options = Formulation.Options()
        if outcome.status == .infeasible {
            options.goal = .coverage
        } else {
            options.goal = .totalPoints
            options.minimumCoverage = outcome.objective.coverage
            if instance.policy.objective == .coverageThenFairness && !outcome.pairs.isEmpty {
                options.minimumPoints = outcome.objective.minPoints
            }
        }
        let locked = Set(locks.compactMap { candidates.index(mentor: $0.mentor, mentee: $0.mentee) })
        return Formulation(instance: instance, candidates: candidates, lockedPairs: locked, options: options).program
    }
}

/// Exit codes of `propose` (SPEC 5.1).
public enum ProposeExitCode: Int32, Sendable {
    case proposal = 0
    case inputError = 1
    case infeasible = 2
    case timeLimitWithoutSolution = 3

    public init(_ proposal: Proposal) {
        switch proposal.status {
        case .optimal, .feasible: self = .proposal
        case .infeasible: self = .infeasible
        case .timeLimit: self = proposal.proof?.cohortFound == false ? .timeLimitWithoutSolution : .proposal
        }
    }
}
