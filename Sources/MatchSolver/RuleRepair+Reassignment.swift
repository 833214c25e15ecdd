import FlowEngine
import MatchModel

extension RuleRepair {
    /// Pairs per mentee in the reassignment network besides its own.
    var reassignmentPairsPerMentee: Int { 32 }

    /// The best cohort with the same matched count in every *type* as `cohort` — a type is
    /// the set of mentees alike in every access row and in coverage weight (``MenteeTypes``).
    ///
    /// Access rows depend only on those counts, so every cohort with the same counts keeps
    /// them; among those cohorts the best one is a minimum-cost flow: source → type (at most
    /// its count) → mentee (worth `W·weight`) → [mentor's department node] → mentor → sink.
    /// With `W` above any points difference, the flow fills every type to its count (the
    /// cohort itself is such a flow), so coverage stays and points are the most possible.
    /// The reach row is not in the network: when the flow breaks it, the caller moves
    /// from `cohort` towards it by cycles (``CycleRepair``).
    ///
    /// The network holds each mentee's ``reassignmentPairsPerMentee`` best pairs and its own,
    /// so its size does not grow with the roster's density (a heuristic step: the proof is elsewhere).
    ///
    /// One mentor a mentee only: with more places, a mentee's further places would not pass
    /// its type's count. Locked pairs stay as they are.
    /// - Returns: the reassigned cohort (locks included), or `nil` when it does not apply.
    /// - Complexity: one minimum-cost flow on the eligible pairs of the mentees outside locks.
    func reassignKeepingCounts(_ cohort: [(mentor: Int, mentee: Int)], locked: Set<UInt64>) -> [(mentor: Int, mentee: Int)]? {
        let types = menteeTypes()
        let network = countedNetwork(
            types, counts: counts(cohort, types: types, locked: locked), own: mentorOf(cohort), locked: locked, reachPrice: 0, priceScale: 1)
        return network?.pairs
    }
}
