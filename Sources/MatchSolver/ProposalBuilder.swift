import MatchModel
import Optimization

extension Proposal {
    /// Assembles a proposal from a solve: pairs with factors, unmatched with
    /// reasons, aggregate metrics.
    public init(
        instance: MatchInstance, outcome: SolveOutcome, engine: String, totalSeconds: Double,
        eligibleMentors: @escaping (Int) -> [Int]
    ) {
        let people = instance.people
        let lockedKeys = instance.decisions.locked
        let slotPairs = outcome.pairs.map { ($0.mentor, $0.mentee) }
        var proposed: [ProposedPair] = []
        var factorList: [Factors] = []
        for (m, e) in slotPairs {
            let f = instance.factors(mentor: m, mentee: e)
            factorList.append(f)
            let key = PairKey(mentorID: people[instance.mentors[m]].id, menteeID: people[instance.mentees[e]].id)
            proposed.append(
                ProposedPair(
                    mentorID: key.mentorID, menteeID: key.menteeID, points: f.points(instance.policy),
                    factors: f, locked: lockedKeys.contains(key), decision: instance.decisions.labels[key],
                    tier: instance.hasTiers ? instance.tier(mentor: m, mentee: e).flatMap { instance.tiers[$0].name } : nil))
        }
        proposed.sort { ($0.menteeID, $0.mentorID) < ($1.menteeID, $1.mentorID) }
        var unmatched: [UnmatchedMentee] = []
        if outcome.status != .infeasible {
            let matched = Set(slotPairs.map(\.1))
            let explainer = UnmatchedReasons(
                instance, eligibleMentors: eligibleMentors, pairs: slotPairs,
                proven: outcome.status == .optimal)
            let missing = instance.mentees.indices.filter { !matched.contains($0) }
            let deep = missing.count <= 2_000
            // Mentees are explained independently, in parts on every core (the explainer
            // only reads: the instance, the cohort and the eligible pairs).
            let shared = UncheckedSendable(explainer)
            let parts = max(1, min(missing.count / 256, 32))
            let explained = parallelMap(parts) { c in
                missing[(missing.count * c / parts)..<(missing.count * (c + 1) / parts)].map { es in
                    UnmatchedMentee(menteeID: people[instance.mentees[es]].id, reasons: shared.value.reasons(mentee: es, deep: deep))
                }
            }
            unmatched = Array(explained.joined())
            unmatched.sort { $0.menteeID < $1.menteeID }
        }
        self.init(
            programName: instance.program.name, cohort: instance.program.cohort, status: outcome.status,
            objective: outcome.objective, pairs: proposed, unmatched: unmatched,
            metrics: CohortMetrics(instance, eligiblePairs: outcome.eligiblePairs, pairs: slotPairs, factors: factorList),
            conflicts: outcome.conflicts, proof: outcome.proof, stages: outcome.stages,
            engine: engine, solveSeconds: outcome.seconds, totalSeconds: totalSeconds)
        scanSeconds = outcome.scanSeconds
        objectiveStages = instance.policy.objective.stages
    }
}
