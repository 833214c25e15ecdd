import FlowEngine
import Foundation
import MatchModel

/// Access and reach rules on the flow: Lagrangian prices on their rows (``SideRulePricing``),
/// the repair of broken flows into rule-keeping cohorts, and the pairs that can still matter
/// after pricing.
extension NetworkSolver {
    /// Lagrangian relaxation of the access/reach rows on the flow (``SideRulePricing``).
    /// - Returns: the best cohort meeting every rule (locks included), the best bound in
    ///   `W·coverage + points` units (floored), whether they meet, and when they do not, the
    ///   pairs that can still matter.
    func priceSideRules(
        rows: [SideRow], w: Int64, maxPoints: Int, weights: [Int64], prematched: [Bool],
        locks: [(mentor: Int, mentee: Int)], layer: DepartmentLayer, relaxedFlow: Flow,
        ruleRepair: RuleRepair?, clock: Clock,
        run: (String, (Int) -> Int64, PairGain, Flow) throws -> Flow
    ) throws -> SideRulePricing.Result {
        var pricing = SideRulePricing(
            solver: self, rows: rows, w: w, maxPoints: maxPoints, weights: weights, prematched: prematched, locks: locks,
            layer: layer, relaxedFlow: relaxedFlow, ruleRepair: ruleRepair, clock: clock)
        return try pricing.run(run)
    }

    /// A ``RuleRepair`` over every eligible pair (programs up to ``ruleRepairPairLimit`` pairs), or
    /// over each mentee's `perMentee` best pairs: any subset of the eligible pairs repairs into a
    /// cohort that keeps every rule, only a less good one.
    func ruleRepair(rows: [SideRow], w: Int64, perMentee: Int? = nil) -> RuleRepair {
        let eligible = instance.mentees.indices.map { es in
            let sorted = eligiblePairs(of: es).sorted { ($0.points, $1.mentor) > ($1.points, $0.mentor) }
            return perMentee.map { Array(sorted.prefix($0)) } ?? sorted
        }
        return RuleRepair(instance: instance, rows: rows, w: w, eligible: eligible)
    }

    /// Every eligible pair whose reduced cost under `potential` is at most `room`,
    /// plus `keep`: their number, and the pairs themselves when there are at most `limit`.
    func pairsWithin(
        room: Int64, potential: [Int64], gain: PairGain, layer: DepartmentLayer,
        keep: [(mentor: Int, mentee: Int)], limit: Int
    ) -> (count: Int, pairs: [(mentor: Int, mentee: Int)]?) {
        let nodes = MatchNetworkLayout(instance)
        // Count first: past the limit, listing them (and deduplicating) would only cost time and memory.
        let within = PairsWithinRoom(
            room: room, potential: potential, gain: gain, layer: layer, slotAt: scanner.slotAtPosition,
            nodes: nodes, listing: false)
        let counted = foldEligible(within).reduce(0) { $0 + $1.count }
        if counted > limit { return (counted + keep.count, nil) }
        var listing = within
        listing.listing = true
        let found = foldEligible(listing).map(\.pairs)
        var seen = Set<UInt64>()
        var out: [(mentor: Int, mentee: Int)] = []
        for p in found.joined() + keep where seen.insert(MatchInstance.pairKey(p.mentor, p.mentee)).inserted { out.append(p) }
        return (out.count, out)
    }
}
