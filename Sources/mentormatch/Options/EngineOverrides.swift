import Foundation
import MatchSolver
import MentorMatch

/// Developer overrides of the engines' settings, for benchmarks and experiments. Only the
/// command-line tool reads them (the libraries take settings as values); program owners never
/// need them. Each is `MENTORMATCH_<NAME>=value` in the environment:
///
/// | variable | setting |
/// |---|---|
/// | `CANDIDATES`, `MENTOR_CANDIDATES`, `SCATTERED_CANDIDATES` | candidate sets before pricing |
/// | `PRICING_LIMIT`, `PRICING_PER_MENTOR` | pairs priced in per mentee / per mentor and round |
/// | `REPAIR_LIMIT`, `REPAIR_ARCS_PER_PAIR` | when primal–dual phases repair instead of warm scaling |
/// | `PRICINGS_IN_SCALING`, `PRICING_EPSILON_POINTS`, `COVERAGE_PRICING` | pricing during the scaling |
/// | `FINISH_POINTS` (0: scale to the end), `FAR_VIOLATION` | the finishing phases |
/// | `FLOW=primal-dual`, `COARSE_START=0`, `TRACE_SCALING` | flow algorithm and its trace |
/// | `GLPK_CUTS=0`, `GLPK_FP=1` | GLPK's cuts and feasibility pump |
enum EngineOverrides {
    static func apply(to propose: inout MentorMatch.Propose, environment: [String: String] = ProcessInfo.processInfo.environment) {
        func int(_ name: String) -> Int? { environment["MENTORMATCH_" + name].flatMap { Int($0) } }
        var t = propose.tuning
        if let v = int("CANDIDATES") { t.candidatesPerMentee = v }
        if let v = int("MENTOR_CANDIDATES") { t.mentorCandidates = v }
        if let v = int("SCATTERED_CANDIDATES") { t.scatteredCandidates = v }
        if let v = int("PRICING_LIMIT") { t.pricingLimit = v }
        if let v = int("PRICING_PER_MENTOR") { t.perMentorLimit = v }
        if let v = int("REPAIR_LIMIT") { t.repairLimit = v }
        if let v = int("REPAIR_ARCS_PER_PAIR") { t.repairArcsPerPair = v }
        if let v = int("PRICINGS_IN_SCALING") { t.pricingsInScaling = v }
        if let v = int("PRICING_EPSILON_POINTS") { t.pricingEpsilonPoints = v }
        if let v = int("COVERAGE_PRICING") { t.coveragePricingRounds = v }
        if let v = int("FINISH_POINTS") { t.finishByPhasesBelowPoints = v > 0 ? v : nil }
        if let v = int("FAR_VIOLATION") { t.farViolation = v }
        if environment["MENTORMATCH_FLOW"] == "primal-dual" { t.costScaling = false }
        if environment["MENTORMATCH_COARSE_START"] == "0" { t.coarseStart = false }
        if environment["MENTORMATCH_TRACE_SCALING"] != nil { t.traceScaling = true }
        propose.tuning = t
        if let v = environment["MENTORMATCH_GLPK_CUTS"] { propose.glpk.cuts = v == "1" }
        if let v = environment["MENTORMATCH_GLPK_FP"] { propose.glpk.feasibilityPump = v == "1" }
    }

    /// A `propose` use case with the overrides applied.
    static func propose() -> MentorMatch.Propose {
        var p = MentorMatch.Propose()
        apply(to: &p)
        return p
    }
}
