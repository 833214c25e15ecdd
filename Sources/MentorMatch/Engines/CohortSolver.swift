import Dispatch
import GLPKEngine
import MatchSolver
import Optimization

/// One engine behind the `propose` use case — the network engine, network first
/// (GLPK to finish), or the full GLPK model. Each returns its cohort with what it
/// proves (``SolveOutcome/proof``), names the mentors eligible for a mentee (for
/// the reasons given to the unmatched), and the final stage's model for
/// `--write-model`. `EngineSelection` decides which one runs.
public protocol CohortSolver {
    /// Which engine's answer the proposal reports: "network" or "glpk".
    var engineName: String { get }
    /// Solves the program.
    mutating func solve() throws -> SolveOutcome
    /// The active mentors (slots) eligible for a mentee (slot), once solved.
    func eligibleMentors(of mentee: Int) -> [Int]
    /// The final stage's integer program for `outcome` (nil when not `wanted` and not already built).
    func finalModel(for outcome: SolveOutcome, wanted: Bool) -> IntegerProgram?
}

/// What every route needs to know besides the instance.
struct SolveContext {
    var instance: MatchInstance
    var selection: EngineSelection
    var tuning: NetworkTuning
    var glpk: GLPKEngine
    var verbose: Bool
    var progress: (@Sendable (String) -> Void)?
    /// When the proposal started: the program's time limit counts from here.
    var start: DispatchTime

    var secondsLeft: Double {
        instance.policy.solver.timeLimitSeconds - elapsed
    }

    /// Seconds since the proposal started.
    var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }

    /// Whether a stop was requested or the program's time limit has passed.
    var outOfTime: Bool { SolveControl.stopRequested || secondsLeft <= 0 }
}

/// The final lexicographic stage as an integer program, matching a network
/// solve: maximise total points with coverage (and the fairness threshold) held.
enum FinalStageModel {
    static func build(_ instance: MatchInstance, _ outcome: SolveOutcome) -> IntegerProgram {
        let candidates = CandidatePairs(instance)
        let (locks, _) = instance.resolveLocks()
        var options = Formulation.Options()
        if outcome.status == .infeasible {
            options.goal = .coverage
        } else {
            // Every earlier stage held at the value the solve reached (SPEC 5.2: the final stage's model).
            options.goal = .totalPoints
            for stage in instance.policy.objective.stages { options.hold(stage, at: outcome.objective) }
        }
        let locked = Set(locks.compactMap { candidates.index(mentor: $0.mentor, mentee: $0.mentee) })
        return Formulation(instance: instance, candidates: candidates, lockedPairs: locked, options: options).program
    }
}
