import Foundation
import GLPKEngine
import MatchModel
import MentorMatch
import ProgramGenerator
import TestSupport
import Testing

@testable import MatchSolver

/// The fairness objective's threshold search, cut short (each check given almost no time):
/// the points stage still runs at the threshold reached, the cohort keeps every rule, the
/// status is `feasible` and the proof names the threshold reached and the one not settled.
@Suite struct ThresholdSearchCutShortTests {
    @Test func aCutShortSearchStillSolvesThePoints() throws {
        let dir = TemporaryDirectory()
        try RosterGenerator(mentees: 150, mentors: 55, seed: 1, binding: true).write(to: dir.path)
        var program = try ProgramLoader.load(path: dir.file("program.yaml")).program
        program.policy.objective = .coverageThenFairness
        let instance = MatchInstance(program: program)
        var solver = LexicographicSolver(instance: instance, candidates: CandidatePairs(instance), engine: GLPKEngine())
        solver.thresholdShare = 1e-9
        solver.thresholdMinimumSeconds = 0
        let outcome = try solver.solve()
        let cut = outcome.stages.contains { $0.name.hasPrefix("fairness") && $0.termination == .timeLimit }
        #expect(cut, "no threshold check was cut short: \(outcome.stages.map { "\($0.name) \($0.termination)" })")
        #expect(CohortCheck.violations(instance, pairs: outcome.pairs.map { ($0.mentor, $0.mentee) }).isEmpty)
        if cut {
            #expect(outcome.status == .feasible)
            let fairness = try #require(outcome.proof?.fairness)
            #expect(outcome.objective.minPoints >= fairness.reachable && fairness.reachable < fairness.unsettled)
            #expect(outcome.stages.last?.name == "total points" && outcome.stages.last?.termination == .optimal)
            // The points stage at the threshold reached: at least the points of the search's best cohort.
            #expect(outcome.objective.totalPoints > 0)
        }
    }
}

/// A generated program whose equity rules bind (`generate --binding`), with the fairness objective.
func fairnessProgram(mentees: Int, mentors: Int, seed: UInt64) throws -> Program {
    let dir = TemporaryDirectory()
    try RosterGenerator(mentees: mentees, mentors: mentors, seed: seed, binding: true).write(to: dir.path)
    var program = try ProgramLoader.load(path: dir.file("program.yaml")).program
    program.policy.objective = .coverageThenFairness
    return program
}

/// The full model's answer (`glpk-model`), brute-force tested on its own: the reference here.
func fullModelAnswer(_ program: Program) throws -> Proposal {
    var full = MentorMatch.Propose()
    full.engine = .glpkModel
    return try full.run(program: program).proposal
}

/// A generated fairness program's answer by `propose` (set up by `configure`) and by the full model.
func fairnessAnswers(
    mentees: Int, mentors: Int, seed: UInt64, configure: (inout MentorMatch.Propose) -> Void = { _ in }
) throws -> (proposal: Proposal, fullModel: Proposal) {
    let program = try fairnessProgram(mentees: mentees, mentors: mentors, seed: seed)
    var propose = MentorMatch.Propose()
    configure(&propose)
    return (try propose.run(program: program).proposal, try fullModelAnswer(program))
}

/// The fairness objective on generated programs whose rules bind, two ways: `auto` (network first
/// at each threshold, ``FairnessByNetwork``) and the full model in GLPK (`glpk-model`, brute-force
/// tested on its own). Both prove the same optimum.
@Suite struct FairnessRoutesAgreeTests {
    @Test func networkThresholdChecksAgreeWithTheFullModel() throws {
        var checked = 0
        for seed in UInt64(1)...8 {
            let (byNetwork, byModel) = try fairnessAnswers(mentees: 40, mentors: 15, seed: seed)
            #expect(byNetwork.status == .optimal && byModel.status == .optimal, "seed \(seed)")
            #expect(byNetwork.objective == byModel.objective, "seed \(seed): \(byNetwork.objective) against \(byModel.objective)")
            if byNetwork.stages.contains(where: { $0.name.contains("pairs of at least") }) { checked += 1 }
        }
        #expect(checked >= 4, "network first checked thresholds on \(checked) of 8 programs")
    }

    /// Past the size above which network first answers the score objective without the full
    /// model, the fairness objective is still settled threshold by threshold — not answered with
    /// the cohort the rule repair made from the optimum without the rules.
    @Test func fairnessIsSettledPastTheFullModelLimit() throws {
        for seed in UInt64(1)...4 {
            let (p, best) = try fairnessAnswers(mentees: 40, mentors: 15, seed: seed) { $0.selection.fullModelAfterNetworkLimit = 0 }
            #expect(p.status == .optimal && p.objective == best.objective, "seed \(seed): \(p.status) \(p.objective) against \(best.objective)")
        }
    }
}

/// When GLPK on the pairs that can still matter is never run (no reduced model) and the full model
/// is not given the points either, the answer is that threshold's best cohort found, `feasible`,
/// with the most coverage proven and a points bound — which the full model's optimum respects, at
/// the same coverage and weakest pair. Given the time, the score objective's model on the pairs at
/// or above the settled threshold proves the points instead: the full model's optimum.
@Suite struct SettledThresholdUnprovenPointsTests {
    @Test func theBoundHoldsAndTheThresholdIsTheOptimumsOwn() throws {
        var answered = 0, atThreshold = 0
        for seed in UInt64(1)...4 {
            let (cut, best) = try fairnessAnswers(mentees: 150, mentors: 55, seed: seed) {
                $0.selection.reducedModelPairLimit = 0
                $0.selection.fullModelAfterSettledThresholdSeconds = .infinity
            }
            try #require(best.status == .optimal, "seed \(seed)")
            let (given, _) = try fairnessAnswers(mentees: 150, mentors: 55, seed: seed) { $0.selection.reducedModelPairLimit = 0 }
            #expect(given.status == .optimal && given.objective == best.objective, "seed \(seed): \(given.objective) against \(best.objective)")
            if given.stages.contains(where: { $0.name.hasPrefix("points at threshold \(best.objective.minPoints):") }) { atThreshold += 1 }
            let context = "seed \(seed): \(cut.objective) against \(best.objective), \(String(describing: cut.proof))"
            #expect(cut.objective.coverage == best.objective.coverage, "\(context)")
            #expect(cut.objective.minPoints <= best.objective.minPoints, "\(context)")
            guard cut.status == .feasible, let proof = cut.proof, proof.ending == .answeredWithoutFullModel else { continue }
            answered += 1
            try Self.expectAnsweredAtTheThreshold(cut, proof, best, context)
        }
        #expect(answered > 0, "no program was answered at a settled threshold without its points proven")
        #expect(atThreshold > 0, "no program's points were proven by the model at its settled threshold")
    }

    /// When the program at the settled threshold is more than its model takes, the checks' cohort
    /// is the answer, with the most coverage, the optimum's weakest pair and a points bound the
    /// full model's optimum respects.
    @Test func aThresholdProgramTooLargeForItsModelIsAnsweredWithABoundThatHolds() throws {
        var answered = 0
        for seed in UInt64(1)...4 {
            let (p, best) = try fairnessAnswers(mentees: 150, mentors: 55, seed: seed) {
                $0.selection.reducedModelPairLimit = 0
                $0.selection.columnGenerationPairLimit = 0
            }
            try #require(best.status == .optimal, "seed \(seed)")
            let context = "seed \(seed): \(p.status) \(p.objective) against \(best.objective), \(String(describing: p.proof))"
            guard Self.isUnproven(p, keepingTheCoverageOf: best, context) else { continue }
            answered += 1
            try Self.expectAnsweredAtTheThreshold(p, try #require(p.proof, "\(context)"), best, context)
        }
        #expect(answered > 0, "no program was answered at a settled threshold without its model")
    }

    /// Whether `p` is not proven optimal, having checked it against the full model's optimum
    /// `best`: the same coverage either way, and the optimum itself when proven.
    static func isUnproven(_ p: Proposal, keepingTheCoverageOf best: Proposal, _ context: String) -> Bool {
        #expect(p.objective.coverage == best.objective.coverage, "\(context)")
        guard p.status != .optimal else {
            #expect(p.objective == best.objective, "\(context)")
            return false
        }
        return true
    }

    /// An answer at the settled threshold without its points proven: the most coverage and the
    /// optimum's weakest pair, proven, and a points bound the full model's optimum respects.
    static func expectAnsweredAtTheThreshold(_ p: Proposal, _ proof: Proof, _ best: Proposal, _ context: String) throws {
        #expect(proof.ending == .answeredWithoutFullModel, "\(context)")
        #expect(proof.coverageBound == best.objective.coverage && proof.fairness == nil, "\(context)")
        #expect(p.objective.minPoints == best.objective.minPoints, "\(context)")
        let bound = try #require(proof.pointsBound, "\(context)")
        #expect(p.objective.totalPoints <= best.objective.totalPoints && best.objective.totalPoints <= bound, "\(context)")
    }
}

/// Past the full model's size limit, with no reduced model either, the fairness objective is
/// answered from network first's checks alone — never by the full model — and what the proof
/// states holds for the full model's optimum: the coverage, the threshold reached (or settled,
/// with a points bound the optimum respects).
@Suite struct FairnessPastTheFullModelLimitTests {
    @Test func checksAloneAnswerAndTheProofHolds() throws {
        var answered = 0
        for seed in UInt64(1)...4 {
            let (p, best) = try fairnessAnswers(mentees: 150, mentors: 55, seed: seed) {
                $0.selection.fullModelAfterNetworkLimit = 0
                $0.selection.reducedModelPairLimit = 0
            }
            try #require(best.status == .optimal, "seed \(seed)")
            let context = "seed \(seed): \(p.status) \(p.objective) against \(best.objective), \(p.proofNote ?? "")"
            #expect(p.engine == "network", "\(context): answered by \(p.engine)")
            guard SettledThresholdUnprovenPointsTests.isUnproven(p, keepingTheCoverageOf: best, context) else { continue }
            let proof = try #require(p.proof, "\(context)")
            #expect(proof.coverageBound == best.objective.coverage, "\(context)")
            if let search = proof.fairness {
                #expect(search.reachable <= best.objective.minPoints, "\(context)")
            } else {
                #expect(p.objective.minPoints == best.objective.minPoints, "\(context)")
                if let bound = proof.pointsBound { #expect(best.objective.totalPoints <= bound, "\(context)") }
            }
            answered += 1
        }
        #expect(answered > 0, "every program was proven optimal: the path without the full model was not exercised")
    }
}

/// Stopped at any moment by the time limit, the fairness objective still answers with a cohort
/// keeping every rule, and what its proof states holds for the full model's optimum.
@Suite struct FairnessStoppedTests {
    @Test func aStoppedFairnessSolveKeepsEveryRuleAndStatesOnlyWhatHolds() throws {
        for seed in UInt64(1)...2 {
            let program = try fairnessProgram(mentees: 150, mentors: 55, seed: seed)
            let best = try fullModelAnswer(program)
            try #require(best.status == .optimal)
            for limit in [0.02, 0.3, 1, 3] {
                var propose = MentorMatch.Propose()
                propose.timeLimitSeconds = limit
                let p = try propose.run(program: program).proposal
                let context = "seed \(seed), \(limit) s: \(p.status) \(p.objective), \(p.proofNote ?? "")"
                let instance = MatchInstance(program: program)
                let pairs = p.pairs.compactMap { pair -> (Int, Int)? in
                    guard let m = instance.indexOfID[pair.mentorID].flatMap({ instance.mentorSlot[$0] }),
                        let e = instance.indexOfID[pair.menteeID].flatMap({ instance.menteeSlot[$0] })
                    else { return nil }
                    return (m, e)
                }
                #expect(pairs.count == p.pairs.count && CohortCheck.violations(instance, pairs: pairs).isEmpty, "\(context)")
                #expect(p.status != .infeasible && p.objective.coverage <= best.objective.coverage, "\(context)")
                guard p.status != .optimal, let proof = p.proof else {
                    #expect(p.objective == best.objective, "\(context)")
                    continue
                }
                if let c = proof.coverageBound { #expect(c >= best.objective.coverage, "\(context)") }
                if let f = proof.fairness, p.objective.coverage == best.objective.coverage {
                    #expect(f.reachable <= best.objective.minPoints, "\(context)")
                }
                if let b = proof.pointsBound, proof.fairness == nil, p.objective.coverage == best.objective.coverage,
                    p.objective.minPoints == best.objective.minPoints
                {
                    #expect(b >= best.objective.totalPoints, "\(context)")
                }
            }
        }
    }
}
