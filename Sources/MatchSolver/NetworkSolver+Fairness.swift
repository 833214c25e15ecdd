import MatchModel

extension NetworkSolver {
    /// Where the fairness search ended: the cohort (locks included), whether every flow ran to
    /// its end, and the final flow at the threshold when it ran.
    struct FairnessSearch {
        var pairs: [(mentor: Int, mentee: Int)]
        var complete: Bool
        var final: Flow?
    }

    /// `coverage_then_fairness` on the network: a binary search over the minimum points, each check
    /// a coverage-only flow on the pairs of at least T points (it keeps the optimal coverage or not),
    /// then one flow for coverage and points on the pairs of at least the best threshold. Stopped
    /// midway, the best cohort found at the optimal coverage is the answer.
    func searchFairness(
        from cohort: [(mentor: Int, mentee: Int)], _ setting: FlowSetting, pointsSeen: Set<Int>, weights: [Int64],
        firstGain: (Int) -> Int64, stages: inout [StageReport]
    ) throws -> FairnessSearch {
        let locks = setting.start.locks
        let objective = CohortCheck.objective(instance, pairs: cohort.map { ($0.mentor, $0.mentee) })
        let coverage = objective.coverage
        let lockedMin = locks.map { instance.points(mentor: $0.mentor, mentee: $0.mentee) }.min() ?? setting.maxPoints
        var lo = objective.minPoints
        var hi = min(setting.maxPoints, lockedMin)
        var best = cohort
        var complete = true
        while lo < hi && complete {
            // Only point values that occur can be a minimum.
            var mid = (lo + hi + 1) / 2
            while mid <= hi && !pointsSeen.contains(mid) { mid += 1 }
            if mid > hi {
                hi = (lo + hi + 1) / 2 - 1
                continue
            }
            let r = try flow(
                "network: coverage with pairs ≥ \(mid)", setting, minPoints: mid, firstGain: { weights[$0] },
                pairGain: PairGain(pointsScale: 0), stages: &stages)
            complete = r.complete
            let pairs = r.pairs + locks
            let o = CohortCheck.objective(instance, pairs: pairs.map { ($0.mentor, $0.mentee) })
            if o.coverage >= coverage {
                lo = max(mid, o.minPoints)
                best = pairs
            } else {
                hi = mid - 1
            }
        }
        progress?("minimum points \(lo)")
        guard complete else { return FairnessSearch(pairs: best, complete: false) }
        let r = try flow(
            "network: coverage and points with pairs ≥ \(lo)", setting, minPoints: lo, firstGain: firstGain,
            pairGain: PairGain(pointsScale: 1), stages: &stages)
        return FairnessSearch(pairs: r.pairs + locks, complete: r.complete, final: r)
    }
}
